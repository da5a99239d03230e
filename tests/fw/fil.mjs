// fil.mjs - firmware in the loop: the real pod binary on an emulated RP2040 (rp2040js),
// an LSM6DSOX modelled at register level on I2C0 with a known motion, and this script
// as the USB host. Prints one "PASS: ..." or "FAIL: ..." line per check.
//
//   node tests/fw/fil.mjs build/firmware/calftrack-pod.bin
import fs from 'node:fs';
import { ConsoleLogger, LogLevel, RP2040 } from 'rp2040js';

const binPath = process.argv[2] ?? 'build/firmware/calftrack-pod.bin';
const STREAM_SECONDS = Number(process.env.FIL_STREAM_SECONDS ?? 5);
const LED_PIN = 6; // Nano RP2040 Connect
const PERIOD_NS = 1200000; // 833 Hz as the LSM6DSOX really runs it: 1.2 ms

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`PASS: ${name}`);
  } else {
    failed++;
    console.log(`FAIL: ${name}${detail ? ` (${detail})` : ''}`);
  }
  return ok;
}

// ---- the known motion ------------------------------------------------------
// Sample k of the modelled sensor. Integer-exact, so the host can check every value.
// The accelerometer saturates at the peaks of the x swing and the gyroscope's y axis
// wraps through -32768, so both clipping flags are exercised.
function motion(k) {
  const t = (k * PERIOD_NS) / 1e9;
  const clamp = (v) => Math.max(-32768, Math.min(32767, Math.round(v)));
  return {
    acc: [clamp(40000 * Math.sin(2 * Math.PI * 0.5 * t)), (k % 200) - 100, 2049],
    gyr: [
      clamp(5000 * Math.sin(2 * Math.PI * 0.5 * t + 1)),
      (((k * 37) % 65536) + 65536) % 65536 >= 32768 ? ((k * 37) % 65536) - 65536 : (k * 37) % 65536,
      clamp(3000 * Math.cos(2 * Math.PI * 0.25 * t)),
    ],
  };
}

// ---- LSM6DSOX register model ---------------------------------------------
class Lsm6dsox {
  constructor(clock) {
    this.clock = clock;
    this.fifoCap = 512; // words
    this.produced = 0; // samples ever put into the FIFO
    this.lost = 0; // samples dropped by FIFO overruns
    this.wordsRead = 0; // words of the current run taken out
    this.resetRegs();
  }
  resetRegs() {
    this.regs = new Uint8Array(128);
    this.regs[0x0f] = 0x6c;
    this.regs[0x12] = 0x04;
    this.resetPending = false;
    this.stopRun();
  }
  running() {
    const odrXl = this.regs[0x10] >> 4;
    const odrG = this.regs[0x11] >> 4;
    return (this.regs[0x0a] & 7) === 6 && odrXl === 7 && odrG === 7 && (this.regs[0x09] & 0x0f) === 7;
  }
  stopRun() {
    this.runStart = null;
    this.runFirst = this.produced; // global index of the run's first sample
    this.runWords = 0; // words produced in this run (capped view below)
    this.wordsRead = 0;
    this.overrun = false;
  }
  // Brings the FIFO up to the current simulated time.
  update() {
    if (this.runStart === null) return;
    const n = Math.floor((this.clock.nanos - this.runStart) / PERIOD_NS);
    const newSamples = n - (this.produced - this.runFirst);
    if (newSamples > 0) this.produced += newSamples;
    const total = 2 * (this.produced - this.runFirst);
    if (total - this.wordsRead > this.fifoCap) {
      this.lost += (total - this.fifoCap - this.wordsRead) / 2;
      this.wordsRead = total - this.fifoCap; // continuous mode drops the oldest
      this.overrun = true;
      this.everOverrun = true;
    }
  }
  level() {
    this.update();
    return 2 * (this.produced - this.runFirst) - this.wordsRead;
  }
  afterWrite(reg) {
    if (reg === 0x12 && this.regs[0x12] & 1) {
      this.resetPending = true; // SW_RESET: done by the next read of CTRL3_C
    }
    if ([0x09, 0x0a, 0x10, 0x11].includes(reg)) {
      const on = this.running();
      if (on && this.runStart === null) {
        this.stopRun();
        this.runStart = this.clock.nanos;
      } else if (!on && this.runStart !== null) {
        this.update();
        this.stopped = { produced: this.produced, unread: this.level() };
        this.stopRun();
      }
    }
  }
  readByte(reg) {
    if (reg === 0x12 && this.resetPending) {
      const v = this.regs[0x12];
      this.resetRegs();
      return v; // reads once more with SW_RESET set, then it is clear
    }
    if (reg === 0x3a) return this.level() & 0xff;
    if (reg === 0x3b) {
      const lvl = this.level();
      const v = ((lvl >> 8) & 3) | (this.overrun ? 0x48 : 0) | (lvl >= 8 ? 0x80 : 0);
      this.overrun = false;
      return v;
    }
    if (reg >= 0x78 && reg <= 0x7e) {
      if (this.level() <= 0) return 0;
      const w = this.wordsRead;
      const k = this.runFirst + (w >> 1);
      const m = motion(k);
      const gyro = (w & 1) === 0; // each sample: gyroscope word, then accelerometer word
      if (reg === 0x78) return ((gyro ? 0x01 : 0x02) << 3) | ((k & 3) << 1);
      const v = (gyro ? m.gyr : m.acc)[(reg - 0x79) >> 1];
      const b = (reg - 0x79) & 1 ? (v >> 8) & 0xff : v & 0xff;
      if (reg === 0x7e) this.wordsRead++;
      return b;
    }
    return this.regs[reg & 0x7f];
  }
}

// ---- the emulated board ---------------------------------------------------
function makeBoard({ imuPresent, viaBoot2 = false }) {
  const mcu = new RP2040();
  mcu.logger = new ConsoleLogger(LogLevel.Error);
  mcu.flash.set(flashImage, 0);
  if (viaBoot2) {
    // What the boot ROM does: copy the first 256 bytes to the top of SRAM and call
    // them with lr = 0. boot2 must then find the vector table itself.
    mcu.sram.set(flashImage.subarray(0, 256), 0x41f00);
    mcu.core.VTOR = 0;
    mcu.core.SP = 0x20042000;
    mcu.core.LR = 0;
    mcu.core.PC = 0x20041f00;
  } else {
    mcu.core.VTOR = 0x10000100;
    mcu.core.reset();
  }

  const imu = new Lsm6dsox(mcu.clock);
  const i2c = mcu.i2c[0];
  let ptr = 0;
  let first = false;
  i2c.onStart = () => i2c.completeStart();
  const glitch = { nackUntil: 0 }; // the sensor stops answering until then
  i2c.onConnect = (addr) => {
    first = true;
    i2c.completeConnect(imuPresent && addr === 0x6a && mcu.clock.nanos >= glitch.nackUntil);
  };
  i2c.onWriteByte = (b) => {
    if (first) {
      ptr = b & 0x7f;
      first = false;
    } else {
      imu.regs[ptr] = b;
      imu.afterWrite(ptr);
      ptr = (ptr + 1) & 0x7f;
    }
    i2c.completeWrite(true);
  };
  i2c.onReadByte = () => {
    const v = imu.readByte(ptr);
    ptr = ptr === 0x7e ? 0x78 : (ptr + 1) & 0x7f; // the FIFO output address wraps
    i2c.completeRead(v);
  };
  i2c.onStop = () => i2c.completeStop();

  const usb = mcu.usbCtrl;
  const host = { enabled: false, resetSeen: false, ep0In: [], outReq: [], bulk: [], bulkOther: 0 };
  usb.onUSBEnabled = () => {
    host.enabled = true;
  };
  usb.onResetReceived = () => {
    host.resetSeen = true;
  };
  usb.onEndpointWrite = (ep, buf) => {
    if (ep === 0) host.ep0In.push(Uint8Array.from(buf));
    else if (ep === 1) host.bulk.push({ data: Uint8Array.from(buf), at: mcu.clock.nanos });
    else host.bulkOther++;
  };
  usb.onEndpointRead = (ep, len) => {
    if (ep === 0) host.outReq.push(len);
  };

  const board = { mcu, imu, usb, host, glitch, ledToggles: 0, led: false, faulted: false };
  mcu.onBreak = () => {
    board.faulted = true;
  };
  return board;
}

const CHUNK_NS = 20000; // 20 us between host checks
let instructions = 0;

function runFor(b, ns) {
  const { clock, core } = b.mcu;
  const end = clock.nanos + ns;
  while (clock.nanos < end) {
    const stop = Math.min(end, clock.nanos + CHUNK_NS);
    while (clock.nanos < stop) {
      if (core.waiting) {
        const dt = clock.nanosToNextAlarm;
        clock.tick(dt > 0 && clock.nanos + dt <= stop ? dt : stop - clock.nanos);
      } else {
        clock.tick(core.executeInstruction() * 8); // 125 MHz
        instructions++;
      }
    }
    const led = ((b.mcu.sio.gpioValue >> LED_PIN) & 1) === 1;
    if (led !== b.led) {
      b.ledToggles++;
      b.led = led;
    }
    if (b.faulted) throw new Error('firmware hit a fault handler (bkpt)');
  }
}

function runUntil(b, pred, timeoutNs) {
  const end = b.mcu.clock.nanos + timeoutNs;
  while (!pred()) {
    if (b.mcu.clock.nanos >= end) return false;
    runFor(b, CHUNK_NS);
  }
  return true;
}

function setup(bmRequestType, bRequest, wValue, wIndex, wLength) {
  return Uint8Array.from([
    bmRequestType, bRequest, wValue & 0xff, wValue >> 8, wIndex & 0xff, wIndex >> 8,
    wLength & 0xff, wLength >> 8,
  ]);
}

// One control transfer as a host does it. Returns { stall, data }.
function control(b, pkt, dataOut = null) {
  const { usb, host } = b;
  const wLength = pkt[6] | (pkt[7] << 8);
  const dirIn = (pkt[0] & 0x80) !== 0;
  host.ep0In = [];
  host.outReq = [];
  usb.epStallArm = 0; // the controller clears EP_STALL_ARM when a SETUP arrives
  usb.sendSetupPacket(pkt);
  const dpram = b.mcu.usbDPRAMView;
  const stalled = () => (usb.epStallArm & 1) !== 0 && (dpram.getUint32(0x80, true) & (1 << 11)) !== 0;
  const timeout = 20e6;
  if (dirIn) {
    const total = () => host.ep0In.reduce((s, x) => s + x.length, 0);
    const done = () => {
      const n = host.ep0In.length;
      return n > 0 && (total() >= wLength || host.ep0In[n - 1].length < 64);
    };
    if (!runUntil(b, () => stalled() || done(), timeout)) return { stall: false, timeout: true };
    if (stalled()) return { stall: true };
    const data = new Uint8Array(total());
    let off = 0;
    for (const x of host.ep0In) {
      data.set(x, off);
      off += x.length;
    }
    if (!runUntil(b, () => host.outReq.length > 0, timeout)) return { stall: false, timeout: true, data };
    usb.endpointReadDone(0, new Uint8Array(0)); // status stage
    runFor(b, 100000);
    return { stall: false, data };
  }
  if (wLength > 0) {
    if (!runUntil(b, () => stalled() || host.outReq.length > 0, timeout)) return { stall: false, timeout: true };
    if (stalled()) return { stall: true };
    usb.endpointReadDone(0, dataOut);
  }
  if (!runUntil(b, () => stalled() || host.ep0In.length > 0, timeout)) return { stall: false, timeout: true };
  if (stalled()) return { stall: true };
  runFor(b, 100000);
  return { stall: false, data: new Uint8Array(0) };
}

const u16 = (d, o) => d[o] | (d[o + 1] << 8);
const u32 = (d, o) => (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
const s16 = (d, o) => (u16(d, o) << 16) >> 16;

function crc16(bytes) {
  let crc = 0xffff;
  for (const x of bytes) {
    crc ^= x << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function decodePacket(d) {
  if (d.length < 28 || d[0] !== 1) return null;
  const count = (d[1] & 3) + 1;
  if (d.length !== 16 + 12 * count) return null;
  const crc = crc16([...d.subarray(0, 14), ...d.subarray(16)]);
  if (crc !== u16(d, 14)) return null;
  const s = [];
  for (let k = 0; k < count; k++) {
    const o = 16 + 12 * k;
    s.push({
      acc: [s16(d, o), s16(d, o + 2), s16(d, o + 4)],
      gyr: [s16(d, o + 6), s16(d, o + 8), s16(d, o + 10)],
    });
  }
  return { flags: d[1] & 0xfc, count, seq: u16(d, 2), index: u32(d, 4), t: u32(d, 8), periodQus: u16(d, 12), s };
}

function utf16(d) {
  let s = '';
  for (let i = 2; i + 1 < d.length; i += 2) s += String.fromCharCode(u16(d, i));
  return s;
}

const STD_IN = 0x80;
const STD_OUT = 0x00;
const VND_IN = 0xc0;
const VND_OUT = 0x40;

// Checks a run of stream packets. Returns the samples seen.
function checkStream(label, packets, { firstIndex, expectSamples }) {
  const pk = packets.map((p) => decodePacket(p.data));
  check(`${label}: every packet decodes (version, length, CRC)`, pk.every((p) => p !== null), `${pk.filter((p) => !p).length} bad`);
  const good = pk.filter((p) => p);
  let seqOk = true;
  let idxOk = true;
  let tOk = true;
  let valOk = true;
  let flagOk = true;
  let firstBad = '';
  let next = firstIndex;
  for (let i = 0; i < good.length; i++) {
    const p = good[i];
    if (p.seq !== (i & 0xffff)) seqOk = false;
    if (p.index !== next >>> 0) {
      idxOk = false;
      firstBad ||= `packet ${i}: index ${p.index}, expected ${next}`;
    }
    if (i > 0 && ((p.t - good[i - 1].t) >>> 0) !== (good[i - 1].count * PERIOD_NS) / 1000) tOk = false;
    if (p.periodQus !== PERIOD_NS / 250) tOk = false;
    let acl = false;
    let gcl = false;
    for (let k = 0; k < p.count; k++) {
      const m = motion(p.index + k);
      const got = p.s[k];
      for (let a = 0; a < 3; a++) {
        if (got.acc[a] !== m.acc[a] || got.gyr[a] !== m.gyr[a]) {
          valOk = false;
          firstBad ||= `sample ${p.index + k}: got ${JSON.stringify(got)} want ${JSON.stringify(m)}`;
        }
        if (Math.abs(m.acc[a]) >= 32767) acl = true;
        if (m.gyr[a] === 32767 || m.gyr[a] === -32768) gcl = true;
      }
    }
    const want = (i === 0 ? 0x20 : 0) | (acl ? 0x08 : 0) | (gcl ? 0x10 : 0);
    if (p.flags !== want) {
      flagOk = false;
      firstBad ||= `packet ${i}: flags 0x${p.flags.toString(16)} want 0x${want.toString(16)}`;
    }
    next += p.count;
  }
  const n = next - firstIndex;
  check(`${label}: sequence numbers continuous from 0`, seqOk && good.length > 0);
  check(`${label}: sample index continuous from ${firstIndex}, each sample once`, idxOk, firstBad);
  check(`${label}: timestamps advance exactly one 1200 us period per sample`, tOk);
  check(`${label}: every sample equals the modelled motion`, valOk, firstBad);
  check(`${label}: START, clipping and overrun flags as the data demands`, flagOk, firstBad);
  check(`${label}: ${n} samples received = ${expectSamples} produced by the sensor`, n === expectSamples);
  return { n, packets: good.length };
}

// ---- the image as the boot ROM and a UF2 drive see it ----------------------
function crc32mpeg2(bytes) {
  let crc = 0xffffffff;
  for (const x of bytes) {
    crc ^= x << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

// Unpacks a UF2 file the way the RP2040 boot ROM's drive does; null when malformed.
function unpackUf2(buf) {
  if (buf.length === 0 || buf.length % 512 !== 0) return null;
  const blocks = buf.length / 512;
  const out = new Uint8Array(blocks * 256);
  for (let b = 0; b < blocks; b++) {
    const blk = buf.subarray(b * 512, b * 512 + 512);
    const w = (o) => u32(blk, o);
    if (w(0) !== 0x0a324655 || w(4) !== 0x9e5d5157 || w(508) !== 0x0ab16f30) return null;
    if (w(8) !== 0x2000 || w(28) !== 0xe48bff56 || w(16) !== 256) return null;
    if (w(20) !== b || w(24) !== blocks || w(12) !== 0x10000000 + b * 256) return null;
    out.set(blk.subarray(32, 32 + 256), b * 256);
  }
  return out;
}

const bin = fs.readFileSync(binPath);
const uf2Path = binPath.replace(/\.bin$/, '.uf2');
const fromUf2 = fs.existsSync(uf2Path) ? unpackUf2(fs.readFileSync(uf2Path)) : null;
check('UF2: every block well-formed (magics, RP2040 family, addresses from 0x10000000)', fromUf2 !== null);
check('UF2: payload equals the flat image', fromUf2 !== null && bin.every((x, i) => fromUf2[i] === x));
check('boot2: 252 bytes + CRC-32/MPEG-2 the boot ROM accepts',
  bin.length > 256 && crc32mpeg2(bin.subarray(0, 252)) === u32(bin, 252));
check('vector table at 0x10000100: SP in SRAM, reset handler in flash (Thumb)',
  (u32(bin, 256) >>> 0) >= 0x20000000 && u32(bin, 256) <= 0x20042000 && (u32(bin, 260) & 0xff000001) === 0x10000001);
// The emulator gets exactly what a board gets from the UF2 drive.
const flashImage = fromUf2 ?? bin;

// ======================================================================
const t0 = Date.now();
let totalSamples = 0;
{
  const b = makeBoard({ imuPresent: true });
  check('firmware boots and enables the USB controller', runUntil(b, () => b.host.enabled, 200e6));
  b.usb.resetDevice();
  check('bus reset seen and acknowledged', runUntil(b, () => b.host.resetSeen, 50e6));
  runFor(b, 1e6);

  let r = control(b, setup(STD_IN, 6, 0x0100, 0, 64));
  const dev = r.data ?? new Uint8Array(0);
  check('GET_DESCRIPTOR(device): 18 bytes, USB 2.0, EP0 64, VID 0x1209 PID 0x0001',
    dev.length === 18 && dev[0] === 18 && dev[1] === 1 && u16(dev, 2) === 0x0200 && dev[7] === 64 &&
      u16(dev, 8) === 0x1209 && u16(dev, 10) === 0x0001 && dev[17] === 1, `got ${dev.length} bytes`);

  r = control(b, setup(STD_OUT, 5, 9, 0, 0));
  check('SET_ADDRESS(9) acknowledged and applied after the status stage', !r.stall && (b.usb.addrEndp & 0x7f) === 9);

  r = control(b, setup(STD_IN, 6, 0x0200, 0, 9));
  const total = r.data && r.data.length === 9 ? u16(r.data, 2) : 0;
  r = control(b, setup(STD_IN, 6, 0x0200, 0, 255));
  const cfg = r.data ?? new Uint8Array(0);
  check('GET_DESCRIPTOR(configuration): 25 bytes, vendor interface, bulk IN 0x81 of 64',
    total === 25 && cfg.length === 25 && cfg[9 + 5] === 0xff && cfg[9 + 4] === 1 && cfg[18 + 2] === 0x81 &&
      cfg[18 + 3] === 2 && u16(cfg, 18 + 4) === 64);

  r = control(b, setup(STD_IN, 6, 0x0300, 0, 255));
  check('string 0 lists English (0x0409)', r.data && r.data.length === 4 && u16(r.data, 2) === 0x0409);
  r = control(b, setup(STD_IN, 6, 0x0301, 0x0409, 255));
  check('string 1 (manufacturer) is "calftrack"', r.data && utf16(r.data) === 'calftrack');
  r = control(b, setup(STD_IN, 6, 0x0302, 0x0409, 255));
  check('string 2 (product) names the pod', r.data && utf16(r.data).startsWith('calftrack'));
  r = control(b, setup(STD_IN, 6, 0x0303, 0x0409, 255));
  const serial = r.data ? utf16(r.data) : '';
  check('string 3 (serial) is 16 hex digits from the flash unique ID', /^[0-9A-F]{16}$/.test(serial), serial);
  r = control(b, setup(STD_IN, 6, 0x0302, 0x0409, 4));
  check('a descriptor is cut to wLength (4)', r.data && r.data.length === 4);

  r = control(b, setup(VND_OUT, 2, 0, 0, 0));
  check('START before SET_CONFIGURATION stalls', r.stall === true);

  r = control(b, setup(STD_OUT, 9, 1, 0, 0));
  check('SET_CONFIGURATION(1) acknowledged', !r.stall && !r.timeout);
  r = control(b, setup(STD_IN, 8, 0, 0, 1));
  check('GET_CONFIGURATION returns 1', r.data && r.data.length === 1 && r.data[0] === 1);

  r = control(b, setup(VND_IN, 1, 0, 0, 32));
  const info = r.data ?? new Uint8Array(0);
  check('GET_INFO: protocol 1, IMU 0x6C ok, 833 Hz, 16 g, 2000 dps, 488 ug and 70000 udps per LSB, Nano board',
    info.length === 32 && info[0] === 1 && info[4] === 0x6c && (info[5] & 0x05) === 0x01 && u16(info, 6) === 833 &&
      u16(info, 8) === 16 && u16(info, 10) === 2000 && u32(info, 12) === 488 && u32(info, 16) === 70000 &&
      u32(info, 20) === 1200000 && info[24] === 1 && info[25] === 4, Array.from(info).join(','));

  r = control(b, setup(VND_IN, 5, 0, 0, 16));
  check('GET_SERIAL equals the serial string', r.data && new TextDecoder().decode(r.data) === serial);

  const cfgBytes = (odr, g, dps) => Uint8Array.from([odr & 0xff, odr >> 8, g & 0xff, g >> 8, dps & 0xff, dps >> 8]);
  r = control(b, setup(VND_OUT, 4, 0, 0, 6), cfgBytes(104, 4, 500));
  const ok1 = !r.stall;
  r = control(b, setup(VND_IN, 1, 0, 0, 32));
  check('SET_CONFIG(104 Hz, 4 g, 500 dps) takes effect in GET_INFO',
    ok1 && r.data && u16(r.data, 6) === 104 && u16(r.data, 8) === 4 && u16(r.data, 10) === 500 && u32(r.data, 12) === 122);
  check('LSM6DSOX registers follow: FS_XL 4 g (10b), FS_G 500 dps (01b)', (b.imu.regs[0x10] & 0x0c) === 0x08 && (b.imu.regs[0x11] & 0x0e) === 0x04);
  r = control(b, setup(VND_OUT, 4, 0, 0, 6), cfgBytes(500, 16, 2000));
  check('SET_CONFIG with 500 Hz stalls', r.stall === true);
  r = control(b, setup(VND_OUT, 4, 0, 0, 6), cfgBytes(833, 16, 2000));
  check('SET_CONFIG(833 Hz, 16 g, 2000 dps) acknowledged', !r.stall && !r.timeout);

  // ---- stream 1 ----
  b.host.bulk = [];
  const tBefore = b.mcu.clock.nanos / 1000;
  r = control(b, setup(VND_OUT, 2, 0, 0, 0));
  const tAfter = b.mcu.clock.nanos / 1000;
  check('START acknowledged', !r.stall && !r.timeout);
  r = control(b, setup(VND_OUT, 4, 0, 0, 6), cfgBytes(416, 16, 2000));
  check('SET_CONFIG while streaming stalls', r.stall === true);
  runFor(b, STREAM_SECONDS * 1e9);
  check('LED is steadily on while streaming', b.led === true);
  r = control(b, setup(VND_OUT, 3, 0, 0, 0));
  check('STOP acknowledged', !r.stall && !r.timeout);
  runFor(b, 20e6);
  const run1 = b.imu.stopped;
  check('sensor FIFO ran without overrun', !b.imu.everOverrun);
  const s1 = checkStream(`stream ${STREAM_SECONDS} s at 833 Hz`, b.host.bulk, { firstIndex: 0, expectSamples: run1.produced });
  totalSamples += s1.n;
  const first1 = decodePacket(b.host.bulk[0].data);
  check('first sample is stamped one period after the START instant, in device microseconds',
    first1 && first1.t - 1200 >= Math.floor(tBefore) && first1.t - 1200 <= Math.ceil(tAfter),
    first1 ? `t ${first1.t}, START between ${tBefore} and ${tAfter}` : '');
  check(`about ${STREAM_SECONDS} s of samples (${s1.n} in ${s1.packets} packets)`,
    Math.abs(s1.n - STREAM_SECONDS * 833.333) < 3);

  // ---- stream 2: seq restarts, the index carries on ----
  b.host.bulk = [];
  r = control(b, setup(VND_OUT, 2, 0, 0, 0));
  runFor(b, 0.5e9);
  r = control(b, setup(VND_OUT, 3, 0, 0, 0));
  runFor(b, 20e6);
  const s2 = checkStream('second START', b.host.bulk, { firstIndex: run1.produced, expectSamples: b.imu.stopped.produced - run1.produced });
  totalSamples += s2.n;
  r = control(b, setup(VND_IN, 1, 0, 0, 32));
  check('GET_INFO after STOP: not streaming, no overruns', r.data && (r.data[5] & 0x02) === 0 && u32(r.data, 28) === 0);

  // ---- stream 3: the sensor stops answering for 400 ms, its FIFO overruns ----
  {
    b.host.bulk = [];
    const first = b.imu.stopped.produced;
    const lostBefore = b.imu.lost;
    control(b, setup(VND_OUT, 2, 0, 0, 0));
    runFor(b, 0.2e9);
    b.glitch.nackUntil = b.mcu.clock.nanos + 0.4e9;
    runFor(b, 0.6e9);
    control(b, setup(VND_OUT, 3, 0, 0, 0));
    runFor(b, 20e6);
    const modelLost = b.imu.lost - lostBefore;
    const produced = b.imu.stopped.produced - first;
    const pk = b.host.bulk.map((p) => decodePacket(p.data));
    let next = first;
    let offset = 0; // model sample number = index + offset, after an inexact gap estimate
    let gaps = 0;
    let lostByIndex = 0;
    let flagged = 0;
    let received = 0;
    let valuesOk = pk.every((p) => p);
    let seqOk = true;
    const matches = (p, o) => p.s.every((x, k) => {
      const m = motion(p.index + o + k);
      return x.acc.every((v, a) => v === m.acc[a]) && x.gyr.every((v, a) => v === m.gyr[a]);
    });
    pk.forEach((p, i) => {
      if (!p) return;
      if (p.seq !== i) seqOk = false;
      if (p.flags & 0x04) flagged++;
      if (p.index !== next) {
        gaps++;
        lostByIndex += p.index - next;
        if (!(p.flags & 0x04)) valuesOk = false;
        offset = [0, -1, 1].find((o) => matches(p, o)) ?? 99;
      }
      if (!matches(p, offset)) valuesOk = false;
      received += p.count;
      next = p.index + p.count;
    });
    check('I2C outage: sequence numbers still continuous (no USB loss)', seqOk && pk.length > 0);
    check(`I2C outage: one index gap, on the one packet flagged OVERRUN (${gaps} gap, ${flagged} flagged)`, gaps === 1 && flagged === 1);
    check(`I2C outage: the gap (${lostByIndex}) is the sensor's loss (${modelLost}) within one sample`, Math.abs(lostByIndex - modelLost) <= 1 && offset === modelLost - lostByIndex);
    check('I2C outage: every sample received equals the model, before and after the gap', valuesOk);
    check(`I2C outage: received ${received} + lost ${modelLost} = ${produced} produced`, received + modelLost === produced);
    r = control(b, setup(VND_IN, 1, 0, 0, 32));
    check('I2C outage: GET_INFO counts 1 overrun and flags IMU_ERROR, IMU still OK',
      r.data && u32(r.data, 28) === 1 && (r.data[5] & 0x05) === 0x05);
    totalSamples += received;
  }

  // ---- endpoint halt ----
  r = control(b, setup(0x02, 3, 0, 0x81, 0));
  const halted = !r.stall && (b.mcu.usbDPRAMView.getUint32(0x88, true) & (1 << 11)) !== 0;
  r = control(b, setup(0x82, 0, 0, 0x81, 2));
  check('SET_FEATURE(ENDPOINT_HALT, 0x81) stalls the endpoint; GET_STATUS reports halted', halted && r.data && r.data[0] === 1);
  r = control(b, setup(0x02, 1, 0, 0x81, 0));
  const cleared = !r.stall && (b.mcu.usbDPRAMView.getUint32(0x88, true) & (1 << 11)) === 0;
  r = control(b, setup(0x82, 0, 0, 0x81, 2));
  check('CLEAR_FEATURE(ENDPOINT_HALT) clears it; GET_STATUS reports 0', cleared && r.data && r.data[0] === 0);

  // ---- hostile requests: every one must STALL, and the device must carry on ----
  const hostile = [
    ['GET_DESCRIPTOR string index 4', setup(STD_IN, 6, 0x0304, 0x0409, 255)],
    ['GET_DESCRIPTOR string 1 with a foreign language ID', setup(STD_IN, 6, 0x0301, 0x0407, 255)],
    ['GET_DESCRIPTOR configuration index 1', setup(STD_IN, 6, 0x0201, 0, 255)],
    ['GET_DESCRIPTOR device qualifier (full-speed device)', setup(STD_IN, 6, 0x0600, 0, 10)],
    ['GET_DESCRIPTOR type 0xFF', setup(STD_IN, 6, 0xff00, 0, 255)],
    ['GET_DESCRIPTOR sent as OUT', setup(STD_OUT, 6, 0x0100, 0, 0)],
    ['GET_STATUS of a missing endpoint 0x82', setup(0x82, 0, 0, 0x82, 2)],
    ['GET_STATUS with wLength 0xFFFF', setup(STD_IN, 0, 0, 0, 0xffff)],
    ['GET_STATUS of interface 7', setup(0x81, 0, 0, 7, 2)],
    ['SET_ADDRESS 200', setup(STD_OUT, 5, 200, 0, 0)],
    ['SET_CONFIGURATION 2', setup(STD_OUT, 9, 2, 0, 0)],
    ['SET_FEATURE(TEST_MODE) on the device', setup(STD_OUT, 3, 2, 0x0400, 0)],
    ['SET_INTERFACE alternate 1', setup(0x01, 11, 1, 0, 0)],
    ['SYNCH_FRAME', setup(0x82, 12, 0, 0x81, 2)],
    ['class request', setup(0x21, 0x22, 3, 0, 0)],
    ['reserved request type', setup(0x60, 1, 0, 0, 0)],
    ['GET_INFO with wLength 31', setup(VND_IN, 1, 0, 0, 31)],
    ['GET_INFO with wIndex 1', setup(VND_IN, 1, 0, 1, 32)],
    ['GET_INFO with wValue 0x100', setup(VND_IN, 1, 0x100, 0, 32)],
    ['GET_INFO to the interface', setup(0xc1, 1, 0, 0, 32)],
    ['GET_INFO as OUT', setup(VND_OUT, 1, 0, 0, 0)],
    ['START as IN', setup(VND_IN, 2, 0, 0, 1)],
    ['START with a data stage', setup(VND_OUT, 2, 0, 0, 4)],
    ['SET_CONFIG with wLength 5', setup(VND_OUT, 4, 0, 0, 5)],
    ['SET_CONFIG with wLength 4096', setup(VND_OUT, 4, 0, 0, 4096)],
    ['GET_SERIAL with wLength 0', setup(VND_IN, 5, 0, 0, 0)],
    ['unknown vendor request 0x77', setup(VND_IN, 0x77, 0, 0, 64)],
  ];
  let allStalled = true;
  for (const [name, pkt] of hostile) {
    const h = control(b, pkt);
    if (!check(`hostile: ${name} -> STALL`, h.stall === true)) allStalled = false;
  }
  check('hostile: SET_CONFIG data stage with gyro range 2256 dps -> STALL',
    control(b, setup(VND_OUT, 4, 0, 0, 6), Uint8Array.from([0x41, 0x03, 16, 0, 0xd0, 0x08])).stall === true);
  r = control(b, setup(STD_IN, 0, 0, 0, 2));
  check('after the hostile requests the device still answers GET_STATUS', allStalled && r.data && r.data.length === 2);
  r = control(b, setup(VND_OUT, 2, 0, 0, 0));
  runFor(b, 0.1e9);
  control(b, setup(VND_OUT, 3, 0, 0, 0));
  check('and still streams', !r.stall && b.host.bulk.length > 0);

  // ---- suspend / resume ----
  b.usb.sieStatus |= 1 << 4;
  b.usb.sieStatusUpdated();
  runFor(b, 5e6);
  const toggles = b.ledToggles;
  runFor(b, 1.2e9);
  const dark = b.led === false && b.ledToggles === toggles;
  b.usb.sieStatus &= ~(1 << 4);
  b.usb.sieStatus |= 1 << 11;
  b.usb.sieStatusUpdated();
  runFor(b, 5e6);
  r = control(b, setup(STD_IN, 8, 0, 0, 1));
  check('suspend turns the LED off; after resume the device answers, still configured', dark && r.data && r.data[0] === 1);

  // ---- bus reset drops the configuration ----
  b.host.resetSeen = false;
  b.usb.resetDevice();
  runUntil(b, () => b.host.resetSeen, 50e6);
  runFor(b, 1e6);
  r = control(b, setup(STD_IN, 8, 0, 0, 1));
  check('bus reset returns the device to address 0, unconfigured', (b.usb.addrEndp & 0x7f) === 0 && r.data && r.data[0] === 0);
  console.log(`# stream: ${totalSamples} samples checked, emulated ${(b.mcu.clock.nanos / 1e9).toFixed(2)} s`);
}

{
  // ---- entered through boot2, as on a board ----
  const b = makeBoard({ imuPresent: true, viaBoot2: true });
  const ok = runUntil(b, () => b.host.enabled, 200e6);
  const ssi = b.mcu.peripherals[0x18000];
  check('boot2 sets up XIP (03h reads, 24-bit address), points VTOR at 0x10000100 and starts the firmware',
    ok && b.mcu.core.VTOR === 0x10000100 && ssi.spictlr0 >>> 24 === 0x03 && ((ssi.spictlr0 >> 2) & 0xf) === 6 &&
      ssi.ssienr === 1);
}

{
  // ---- no IMU on the bus ----
  const b = makeBoard({ imuPresent: false });
  check('without an IMU the firmware still boots and enables USB', runUntil(b, () => b.host.enabled, 500e6));
  b.usb.resetDevice();
  runUntil(b, () => b.host.resetSeen, 50e6);
  runFor(b, 1e6);
  control(b, setup(STD_OUT, 5, 3, 0, 0));
  control(b, setup(STD_OUT, 9, 1, 0, 0));
  let r = control(b, setup(VND_IN, 1, 0, 0, 32));
  check('GET_INFO without IMU: imu_id 0, IMU_OK clear, IMU_ERROR set',
    r.data && r.data[4] === 0 && (r.data[5] & 0x01) === 0 && (r.data[5] & 0x04) !== 0);
  r = control(b, setup(VND_OUT, 2, 0, 0, 0));
  check('START without IMU stalls', r.stall === true);
  const before = b.ledToggles;
  runFor(b, 1e9);
  const blinks = (b.ledToggles - before) / 2;
  check(`LED blinks the IMU-error pattern (8 Hz: ${blinks} blinks in 1 s)`, blinks >= 7 && blinks <= 9);
}

const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`# firmware-in-the-loop: ${totalSamples} samples checked, ${instructions} instructions emulated, wall time ${secs} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

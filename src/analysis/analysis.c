/* analysis.c - the streaming pipeline: samples in, graded rep/hold events out. */
#include "calftrack/analysis.h"

#include <stddef.h>
#include <string.h>

#include "calftrack/err.h"

/* Placement from the still pose of the reference: on the shin the pod lies along the
 * shank (its x up the leg, whatever the strap's turn about it), so standing, gravity is
 * along its x. On the dorsum of the foot gravity is along the pod's normal standing
 * (within the slope of the dorsum, ~15-35 deg: |x| under ~0.6) and, sitting with the leg
 * straight for the band stretch, anywhere but along x unless the pod happens to point
 * straight up the foot. (Gravity along the normal is no test: sitting, a pod on the shin
 * faces up too.) A pod on the shin sitting is not told from one on the foot. */
#define SHIN_MIN_X_COS 0.9f /* gravity within 26 deg of the pod's x: shin */
/* An exercise measured on the shin is read from standing, gravity along the pod's x. A
 * still pose with gravity far from it is no standing reference: the pod on the foot, or
 * on the shin with the person still seated (moved there after the band stretch, leg
 * straight or bent: gravity across the shank). Gravity does not tell the two apart, so
 * the reference waits for a standing pose whatever the time. A pose kept still this long
 * is told as the wrong placement (asked to stand still, a person standing with the pod
 * on the foot keeps still that long), once, and the wait goes on: seated, the person
 * may sit far longer (over a minute in the demo's sessions) and then stand up, s. */
#define SHIN_WAIT_STILL_S 6.0f
#define FOOT_AXIS_AGREE_COS 0.9f  /* gyro and dorsum axes within 25 deg */
#define AXIS_MIN_ENERGY 0.05f     /* rad^2/s: about one 20 deg raise */
#define AXIS_MAX_PLANARITY 0.15f
#define AXIS_AGREE_COS 0.64f      /* within 50 deg of the current axis */

/* No hold prescribed (a recording analysed on its own): a stretch held under
 * UNPRESCRIBED_HOLD_S is a lean or a step, and the rules that weigh a hold against the
 * prescription (a step ends one held half of it) take UNPRESCRIBED_EXPECT_S, a short
 * stretch's length, in its place. */
#define UNPRESCRIBED_HOLD_S 2.0f
#define UNPRESCRIBED_EXPECT_S 8.0f
/* The still detector is not still for its warm-up (2 tau: 0.3 s) and as long again
 * before its deviations settle: moving longer than this, the pod really moved, s. */
#define FIRST_REF_MOVED_S 0.6f

/* The hold the rules weigh a hold against: the prescribed one, else a short stretch's
 * (grading is against the prescription only) */
static float hold_expect_s(const ct_analysis *a)
{
    return a->rx.hold_s > 0.0f ? a->rx.hold_s : UNPRESCRIBED_EXPECT_S;
}

/* A strap turn: the pod rotates about its strap axis (shin: the pod's x, along the
 * shank; foot: the pod's normal z) while the leg keeps still, faster than 5 deg/s.
 * On the shin a tug rocks the pod on the skin as it turns it (the pod seats itself
 * anew: its tilt on the shank changes by up to ~10 deg during a 10-20 deg tug, as fast
 * as the turn), so the rotation is within ~45 deg of the shank's axis, not close to it.
 * The shank's own motions with the body quiet (a lean, a sway) turn it about the
 * medio-lateral axis, across the pod's x; a twist of the leg about its long axis is
 * followed too, which is harmless: it turns the shank about itself. */
#define STRAP_MIN_DPS 5.0f
#define STRAP_AXIS_TAN 1.0f
/* On the foot the pod's normal is ~20 deg from vertical, so a turn of the body on the
 * foot is told by its axis being vertical (within ~10 deg); the foot's own rotations are
 * far from the normal (pitch about the medio-lateral axis: 90 deg; roll about its long
 * axis, ~20 deg under the dorsum: 70 deg). A tug on the strap rocks the pod on the
 * dorsum's soft tissue while it turns it, by up to ~10 deg as it seats itself anew; a
 * first tug turns it by 8-15 deg only (40 % of an adjust of 20-40 deg), so its axis may
 * be as far as 40-45 deg from the normal (at 35 deg such a tug went unfollowed, and its
 * rock, read as the foot's pitch, put a band stretch's whole session 8-10 deg off). Up
 * to 45 deg the axis is still 25 deg from any the foot turns about. */
#define STRAP_AXIS_TAN_FOOT 1.0f
#define STRAP_MIN_DPS_FOOT 8.0f
#define FOOT_BODY_TURN_COS2 0.97f /* within ~10 deg of the vertical */
#define STRAP_QUIET_G 0.012f
/* A strap is turned in tugs: the hand lets go and grips again, the pod still for a
 * moment between them (0.3-1 s). A turn about the pod's normal begun that soon after a
 * strap turn is the next tug, whatever the axis' angle to the vertical (the tug rocks
 * the pod toward it by a few degrees, and a level dorsum puts the normal within 10 deg
 * of it): the body cannot have stood up from the pod and turned in that time, us. */
#define STRAP_RETUG_US 1500000
/* A strap is turned by hand on a leg standing (or sitting) quiet. A leg that was stepping
 * a moment ago turns with the body instead: turning round at the end of a walk, the foot
 * lifted or pivoting, turns the shank about the vertical, which within the shank's lean
 * (a few degrees) is its own axis; followed as a strap turn it would carry the standing
 * reference round a cone of that half-angle (a 180 deg turn 4 deg from it: ~8 deg off).
 * Steps come about once a second and the turn follows the last one within about as much
 * again, where a strap adjust first takes stopping and reaching down to the pod, us. */
#define STRAP_AFTER_STEP_US 2000000
/* On the shin a tug seats the pod anew on the skin: its tilt on the shank changes by up
 * to 10 deg each way (the strap pulled askew, the pod's edge pressed in), which on a
 * short tug (a first tug of 8-20 deg) can be more than the turn itself, so the rotation
 * is up to ~65 deg from the pod's axis and not told as a turn; the standing reference
 * then stays where the pod sat and the whole rocking reads as a lean (an 8 deg first tug
 * put every hold of the next set 7.5 deg low). A lean or sway turns the pod across its
 * axis alone; a turn with this much of it about the axis, the body quiet, is either a
 * tug or the leg rolling (a fidget), which the rotation does not tell apart. So it is
 * carried aside as if it were a tug, and taken when a turn told as a tug follows within
 * the pause between two tugs (STRAP_RETUG_US): the strap is being adjusted. Anything
 * else (steps, the body moving, no tug following) drops it. */
#define STRAP_ROCK_TAN 2.0f
/* The hand grips a pod on a leg at rest: the pod was nearly at rest this shortly before
 * a rocked turn began; a leg moving into it (sitting down, a fidget) was not, us */
#define STRAP_ROCK_FROM_REST_US 500000
/* A first tug, the one told by the next, not a later tug of the same adjust; it turns
 * the pod by a few degrees at least (a strap is not re-seated for less), deg */
#define STRAP_ROCK_MIN_DEG 3.0f
/* the accelerometer at rest: its noise (~2 mg rms) and a quiet body's sway */
#define STRAP_REST_VAR_G2 (0.005f * 0.005f)
/* A hand on the pod shakes it by more as a tug starts (the grip, the jerk of the pull):
 * 4-12 mg, so the test above missed most turns at their start, which the gyro then
 * carried alone (its scale error, ~1 %, is 1-2 deg over a turn of 100-180 deg, and the
 * accelerometer's errors turn with the pod). Gravity is still known there: the pod was
 * quiet on the leg up to then, and the orientation filter carries gravity through the
 * shake on the gyro, within a fraction of a degree. Up to the still detector's own
 * limit of a pod at rest, gravity at the start is taken from it. Not so at the end: a
 * pod 4-5 cm off the leg's axis turned at 100-200 deg/s feels 15-60 mg of centripetal
 * acceleration, which the filter has taken in as tilt for the turn's second or two (a
 * 200 deg turn of the pod to the other leg came out 1.3 deg off), so there the
 * accelerometer at rest is waited for as before. */
#define STRAP_NEAR_REST_VAR_G2 (0.012f * 0.012f)
/* A tug ends with the pod shaken (the hand letting go, the pod settling on the skin):
 * the accelerometer comes to rest a few tenths of a second later (the still detector's
 * variance decays over ~0.4 s), often after the leg has already begun to straighten up
 * from the reach (a few degrees) or in the pause before the next tug (0.3-1 s). So the
 * rule above seldom found it at rest, and the gyro carried the whole adjust: 2-3 deg off
 * after 100-200 deg in two tugs (its offset left over and its scale and cross-axis
 * errors, ~2-3 % of the turn). Once the pod has stopped turning on the leg, whatever
 * turns it is the leg, and the gyro follows that for the short wait within a few
 * hundredths of a degree: gravity at rest up to this long after the turn ends, the leg
 * having turned by no more than straightening up from the reach (more is stepping off
 * or sitting down: a new pose), us and deg. */
#define STRAP_SETTLE_US 1500000
#define STRAP_SETTLE_MAX_DEG 10.0f
/* The pod turning changes |a| by itself: each axis' zero-g offset (+-20 mg typical for
 * MEMS accelerometers) and sensitivity error (~1%) come and go with the direction of
 * gravity, up to ~0.05 g in all. On the foot, where a strap turn is a large rotation
 * about a tilted axis, that is no sign of the leg moving; steps change |a| far more. */
#define STRAP_QUIET_G_FOOT 0.05f
/* ... and on the shin too, where the turn about the shank's axis moves gravity in the
 * pod by its lean and the pod's tilt only (the y-z part of gravity, 0.1-0.3 g, turns
 * round) and the foot's limit is out of reach: an offset not
 * learnt changes |a| by its dot with that change of gravity's direction. A
 * consumer-grade sensor's +-60 mg on each axis across the axis turned about (up to
 * 0.085 g) changed |a| by 10-16 mg over a half turn, past STRAP_QUIET_G: the turn was
 * dropped half-way as if the leg had moved, and its second half begun afresh without
 * the pod at rest, so the reference was left as the gyro carried it (the offset turned
 * with the pod: up to 8 deg). While the pod is turning (or settling after a turn) the
 * quiet test allows what such an offset can do for how far gravity has turned in the
 * pod since the adjust began; a step changes |a| by 0.1-1 g at once, g. */
#define STRAP_OFFSET_G 0.085f
/* A strap adjust begins with a reach to the pod: the leg leans by a few degrees in under
 * a second, and the still detector's variance (a running mean over ~0.15 s of squares)
 * is still above STRAP_NEAR_REST_VAR_G2 a few tenths of a second after the lean has
 * stopped, as the first tug begins. The orientation filter's gravity is good there: a
 * motion from rest to rest leaves no velocity, so what it took in of its acceleration
 * is a fraction of a degree, where the gyro carrying the reference through the whole
 * adjust turns the accelerometer's offset with the pod (a consumer-grade sensor's 60 mg:
 * up to 7 deg after a half turn). So the pod nearly at rest this shortly before the turn
 * began is as good as at rest at its start, us. */
#define STRAP_START_US 1500000

/* A heel raise measured on the foot is confirmed when the foot stays flat this long
 * after it; toes coming up by this much instead make it a walking step. */
#define RAISE_CONFIRM_US 400000
#define STEP_TOES_UP_DEG 8.0f
/* Heels bounce by up to ~8 deg (~2 cm at the ankle) when a person shifts weight. */
#define RAISE_MIN_DEG 10.0f
#define RAISE_MIN_CM 2.5f
#define REP_MAX_TURN_DEG 25.0f
/* ... that is 10 deg out and back with 5 deg of sway. A person whose shank tips further
 * at the top of a high raise turns it further, out and back: the lean the rise itself
 * explains (a rise of 1.5-2 cm leans the shank 2-3 deg, 7 cm ~10 deg: at most
 * REP_TIP_PER_CM) is allowed twice, with the sway besides (a 6.4 cm raise tipping the
 * shank 10.4 deg turned it 25.6 deg in all and was dropped). A lean the rise does not
 * explain (a fidget leaning 11-14 deg with 2-5 cm of height) earns nothing. */
#define REP_SWAY_DEG 5.0f
#define REP_TIP_PER_CM 2.0f
/* A heel raise keeps the forefoot planted: the heel comes down where it rose from and
 * the foot faces the same way, so from launch to landing the pod comes back to its
 * place (within the shank's change of lean: a few degrees at 10-20 cm up the shank,
 * ~2 cm) and its turn about the vertical (the tibia turns out a few degrees as the
 * heels rise, back as they land) cancels. A foot lifted and put down elsewhere
 * (shuffling, fidgeting) moves it and turns it for good. The shift comes from
 * integrating the earth-frame acceleration twice with the velocity zero at both ends:
 * an error that changes during the rep (the tilt misjudged by up to ~2 deg, 0.35 m/s^2)
 * can reach a T^2 / 8 by the end, so only a shift beyond that counts: the test bites
 * on quick movements and lets a slow rep through. The turn comes from the gyro (a bias
 * left over of 0.5 deg/s is 1.5 deg over a 3 s rep). */
#define REP_MAX_SHIFT_M 0.03f
#define REP_SHIFT_DRIFT_MPS2 0.35f
#define REP_MAX_YAW_DEG 8.0f
/* Within that bound: the tibia's turn out and back cancels to within a few degrees, and
 * the gyro's bias left over (REP_YAW_BIAS_DPS) adds its share over the rep, so a short
 * rep may turn only by those few degrees and that share; a net turn beyond both turned
 * the foot (a foot lifted and set down turned: a fidget). (Over 540 simulated sets each
 * at 104 and 833 Hz and with a consumer IMU, reps turned 3.8 deg at most, in 7.5 s.) */
#define REP_YAW_LEFT_DEG 3.0f
#define REP_YAW_BIAS_DPS 0.5f
/* The heel rises by the foot turning about the ball of the foot, so the ankle (and a pod
 * above it on the shank, which stays upright or leans forward) swings along an arc: at
 * the top it has come forward by tan(a + pf / 2) times the rise, a the slope from the
 * ball of the foot up to the ankle (7-9 cm high, 12-18 cm behind it: tan a 0.4-0.75).
 * The way down retraces the arc, so the pod ends nearer its start than its top along
 * that line. A foot lifted off the floor (a shuffle, a lift in place) rises
 * with no such swing, and one lifted to be put down elsewhere is already on its way
 * there at the top and goes on past it. Either test allows the drift of the shift. */
#define REP_MIN_SWING_OF_RISE 0.4f
/* Where the pod ended along that line: the orientation filter leans its estimate of up
 * toward the measured force while the pod accelerates (orient.c, gain_moving), so the
 * earth-frame acceleration it gives reads the pod's velocity back against it and the
 * integrated path lags the true one: a heel raise, back where it rose from, reads as
 * ending short of its start along the swing, never past it. What can carry it past is
 * the gyro's bias left over after the rest estimate (~1 deg/s) tilting the estimate over
 * the rep, g b T^3 / 12 once the velocity is zeroed at both ends, until the filter's pull
 * toward gravity holds the tilt (the REP_SHIFT_DRIFT_MPS2 bound, T^2 / 8, the lesser for a
 * rep over ~3 s); and the shank ending at another lean than it began, which moves a pod
 * up to 25 cm up it along, with ~1 cm for the rest. A foot lifted and set down a few cm
 * away (a shuffle: 0.6-1 s) ends at twice its swing, past the top, where it was put down:
 * the T^2 / 8 bound alone (~3 cm in 0.8 s) took that in. */
#define REP_END_BIAS_DPS 1.0f
#define REP_END_MIN_M 0.005f
#define REP_POD_UP_SHANK_M 0.25f
/* The heel rises by the foot turning about its ball, the shank leaning forward over it
 * (the knee comes forward): the shank is tipped furthest at the top, where the heel is
 * highest, give or take the few degrees a person sways up there. A lean of the shank
 * and back with the foot flat (5-15 deg, shifting weight) reads a tilt-dependent error
 * of a few mg in the vertical force while leaned (the accelerometer's offset, scale and
 * cross-axis errors, ~0.3 mg a degree, not learnt yet or not all), and the integration
 * closed from the floor to the floor turns that sag into a rise whose top comes once
 * the shank is back where it leaned from. A rise whose shank leaned further than sway
 * moves it, and at the top was back by more than sway from its furthest lean, is no
 * heel raise. (Over 720 simulated sets the reps that leaned past 5 deg were at most
 * 5 deg back from it at the top.) */
#define REP_LEAN_MIN_DEG 5.0f
#define REP_MAX_BACK_DEG 6.0f
/* A heel raise tips the shank ~10 deg at most from where it began, sway adding a few:
 * a shank leaning further moved the body (a step, a lunge, bending to the strap), and
 * the tilt-dependent error of the force it reads swamps a rise of a few cm. */
#define REP_MAX_TIP_DEG 15.0f
/* The heel comes down where it rose from, the forefoot planted throughout: the shank
 * ends the rep at the lean it began it from, give or take the sway of standing (a few
 * degrees each way). A shank that ends leaning further from where it began than a heel
 * raise tips it at all (~10 deg) moved the body: a lean or a bend of the knee begun or
 * ended within the movement, whose tilt-dependent error in the vertical force the
 * integration reads as a rise. (Over 540 simulated sets each at 104 and 833 Hz and with
 * a consumer IMU, and the clinical sessions, reps ended within 8.6 deg of where they
 * began; the movements counted in distractor-only recordings up to 14 deg.) */
#define REP_MAX_END_DEG 10.0f
/* A heel raise is a movement out and back: the shank tips forward as the heel rises
 * and comes back as it lands, so where it leaned furthest is no later than the top and
 * the rep ends nearer where it began than that. A shank that leaned beyond sway
 * (REP_LEAN_MIN_DEG) and was still leaning nearly that far when the segment ended went
 * into a new pose and stayed: a lean or a bent knee taken and kept, the tilt-dependent
 * error of whose force the integration reads as a rise. Before the set has a rep of its
 * own this is how getting into position looks; once reps follow one another the stance
 * may creep from rep to rep (leaning on, tiring), and the reps around tell. (Over 540
 * simulated sets each at 104 and 833 Hz and with a consumer IMU, the ~200 first reps
 * that leaned past 5 deg ended at 0.8 of their furthest lean at most, half of them at
 * under 0.15; 16 of the movements counted first in distractor-only recordings ended at
 * 0.86-1.0 of it.) */
#define REP_KEPT_LEAN_FRAC 0.85f
/* A rep of the set is a movement the person made in it: the set opens as they start
 * it, so a rise under way more than a moment (a late press of start, a rise already
 * begun) before the set opened was movement from before it (the calibration gesture,
 * getting into position) whose force error the integration, still running, carried on
 * into a rise of a few cm. (Over 540 simulated sets each at 104 and 833 Hz and with a
 * consumer IMU, the first reps began 0.4 s before the set opened at the earliest; the
 * movements counted first in distractor-only recordings that began before it, 1.5-5.6 s
 * before.) */
#define REP_BEFORE_SET_US 1000000
/* A heel raise is made standing: the shank stays within its stance's lean and the
 * raise's tip (10 deg) of the standing reference, a few degrees of sway and stance
 * besides. Sitting on the floor with the leg out, or lying, it leans 60-90 deg from
 * there, and a fidget's tilt error integrated there is no raise: over 40 deg (cos 0.766)
 * from the standing reference at the rep's end, none is counted. */
#define REP_MAX_FROM_STANCE_COS 0.766f
/* The heels come down onto the floor and stop there: the calf lowers the body under
 * control, and the speed of the way down dies away as the heels land (over its last
 * tenth of a second a smooth way down of 0.3 s moves at a third of its peak speed, a
 * slower one at less). A rise the integration made of a force error (the tilt-dependent
 * error of a lean or a bend of the knee, a foot lifted and set down) has no landing: its
 * way down comes to the floor still at its full speed and is stopped there by whatever
 * movement comes next. A rep whose landing was missed (a slow way down, the heels resting
 * before the next movement ends the segment) reaches the floor at the speed the
 * integration is off by, a few cm/s (over 540 simulated sets at 104 and at 833 Hz, none
 * faster than 6 cm/s; a consumer IMU's noisier integration a few reps up to 12 cm/s, in
 * sets miscounted already); only an arrival faster than that and at more than 60 % of
 * the way down's peak speed is no landing. */
#define REP_LAND_FRAC 0.6f
#define REP_LAND_MPS 0.08f
/* The speed a missed landing arrives at is the velocity the integration is off by, and
 * that grows with the rep's length: what is left of the force error once the trace is
 * closed floor to floor (the tilt-dependent error of the few degrees a rep leans the
 * shank, ~0.3 mg a degree: about 1 mg) adds ~1 cm/s each second. So the 8 cm/s above
 * holds for a long rep only: a short rise that comes down onto the floor at most of its
 * way down's speed and faster than its length can explain had no landing. (Over 540
 * simulated sets each at 104 and 833 Hz and with a consumer IMU, the reps that came
 * down at over 60 % of their peak speed did so at 0.9 cm/s per second of the rep at
 * most, all of them 4.5 s long or more; the fidgets counted in distractor-only
 * recordings at 1.1-2.8.) */
#define REP_LAND_GROW_MPS2 0.012f
#define REP_MIN_OF_REF 0.25f
/* still this long, a rep is not under way whatever its integration still says, s */
#define LIVE_STILL_S 0.5f
/* The foot reads flat within a few degrees of the standing reference (floor, sway, the
 * accelerometer's offset: 20 mg is 1.2 deg, a reference carried through strap turns):
 * toes lifted by more than this are no flat foot; the heel has left the floor once the
 * foot pitches past it (the detector's engage level on the foot), deg. */
#define FOOT_FLAT_TOL_DEG 5.0f
#define FOOT_HEEL_OFF_DEG 5.0f

/* The band stretch's reference may be taken seated with the leg straight (the person sat
 * down before keeping still, or moved the pod to the other foot sitting). Standing, the
 * dorsum's normal is its slope from gravity: 0-35 deg (12-30 measured, |up.z| 0.94-0.98
 * in trials). Seated with the leg straight the foot points up, pitched back by the
 * relaxed plantarflexion pf (10-35 deg) from neutral, so gravity is 90 - slope - pf deg
 * from the normal: 25-68 deg (52 and 60 deg seen, |up.z| 0.61 and 0.50). Beyond 40 deg
 * the pose is seated: 5 deg past the steepest dorsum standing; a seated foot pointed
 * further (slope + pf over 50 deg) is not told from standing by gravity alone.
 * Seated, the foot's pitch from flat is the normal's angle from gravity plus the dorsum's
 * slope (the normal leans back toward the hip whenever the foot is pitched up past the
 * slope, as it always is seated), which cannot be seen sitting: a typical one is taken.
 * Its spread (+-10 deg) shifts the whole set's level; so does the leg's roll: sitting
 * with the legs straight they fall outward about their long axis (10-40 deg), which tilts
 * the normal further from gravity (20 deg of roll: ~3 deg; 40: up to ~20). Ranges from
 * the resting foot, which the grades use, are not affected. */
#define SEATED_MAX_UP_COS 0.766f /* gravity over 40 deg from the pod's normal */
#define DORSUM_SLOPE_DEG 20.0f
/* A standing reference read against the seated foot at rest agrees with gravity's own
 * reading within the dorsum's spread and the leg's roll (up to ~30 deg; 25 seen in the
 * accuracy bench). One that disagrees by more than this was no standing foot (the pod
 * still in the hand or on the floor before it was strapped on; in the demo these read
 * the resting foot 60-115 deg off): the foot is then measured from gravity alone. */
#define BAND_REF_AGREE_DEG 40.0f

/* Looping the band round the foot (or taking it off) points the foot or lifts the leg:
 * the foot reads 20-35 deg below where it rests seated for a second or two, then comes
 * back down to rest. A movement from this far below the seated rest that ends no higher
 * than `engage` above it is the foot coming back to rest, not a pull toward the shin. */
#define BAND_POINTED_DEG 15.0f
/* Before any hold has told where the seated foot rests, where it was last seen resting
 * stands in: the highest level the detector rested at since the person sat down (the
 * foot pointed, or the knee bent to loop the band or to shift, lowers the foot's pitch
 * for a moment and it comes back up to its rest; nothing but a pull on the band takes it
 * higher, and a pull is no rest). A movement from below that rest back up to it, no
 * higher than `engage` above it, is the foot coming back to rest, not a stretch: a
 * stretch pulls the foot past where it rests. Below this the foot is flat on the floor,
 * the person standing (the standing reference reads it -90, give or take the sway and
 * the reference's own error, a few degrees): no seated rest, and no start of a stretch.
 * (A seated foot pointed to loop the band reads as low as -65 for a person whose foot
 * rests pointed well down: no closer than this to flat), deg. */
#define BAND_STANDING_DEG (-80.0f)

/* In a downward dog the shank leans forward by well over this from standing. */
#define DOG_POSE_MIN_DEG 10.0f
/* The level of the dog pose is followed over this at rest: about a swing of the sway
 * in it (0.2-1 Hz, a degree either side), s. */
#define DOG_REST_TAU_S 2.0f

/* A hold ends once the measure has stayed back near its start level this long, s. */
#define HOLD_END_S 1.0f
/* Resting this long below the top is the pause between holds; easing off in a hold and
 * going back in takes less, s. */
#define HOLD_GAP_S 2.5f
/* An attempt given up goes up from the start position and straight back to it: a
 * deliberate movement into the stretch and out takes this long at least, s. */
#define ATTEMPT_MIN_S 0.5f
/* Rest between holds: prescriptions ask for up to ~30 s, s. */
#define ATTEMPT_GAP_S 30.0f

/* No stretch or hold turns the segment this fast; a walking step swings the shank and
 * pitches the foot faster: what came before is no hold, deg/s. */
#define HOLD_MAX_DPS 150.0f
/* An accelerometer offset larger than this is no offset but a pod not at rest, g. */
#define ACC_OFFSET_MAX_G 0.08f
/* The accelerometer offset learnt from pairs of still poses is taken up at most this fast,
 * g/s: 5 mg/s moves a tilt read from gravity by 0.3 deg/s, slower than any stretch
 * begins, so a new estimate never reads as a step of the measure. */
#define ACC_OFFSET_SLEW_G_S 0.005f
#define HOLD_MAX_G 0.5f /* | |a| - 1 g |: a heel strike, not a hold or a raise */
#define FAST_AFTER_US 1000000 /* steps come about once a second */
#define STEP_ENDS_HOLD_FRAC 0.5f /* a step after half the prescribed hold ends it */

static bool is_raise(ct_exercise e) { return e == EX_CALF_RAISE || e == EX_ISOMETRIC_RAISE; }

static bool needs_height(const ct_analysis *a)
{
    return a->placement == PLACE_SHIN && is_raise(a->rx.exercise);
}

static bool placement_ok(ct_exercise ex, ct_placement p)
{
    switch (ex) {
    case EX_LUNGE_STRETCH:
    case EX_DOWNWARD_DOG:
        return p == PLACE_SHIN;
    case EX_BAND_STRETCH:
        return p == PLACE_FOOT;
    default:
        return p == PLACE_SHIN || p == PLACE_FOOT;
    }
}

static ct_rx_unit measure_unit(const ct_analysis *a)
{
    return needs_height(a) ? RX_UNIT_CM : RX_UNIT_DEG;
}

/* The target in the measure's unit, 0 when none is prescribed in it. */
static float target_in_unit(const ct_analysis *a)
{
    return a->rx.unit == measure_unit(a) ? a->rx.target : 0.0f;
}

/* The accelerometer's offset along the standing up axis: what it read above 1 g at the
 * standing reference, g (0 when implausible). Tilts seen through the accelerometer are
 * leaned toward that axis by offset x sin(tilt). (Only the shank's whole tilt takes it
 * back so far: on the foot a sensitivity error, which reads the same standing but leans
 * tilts differently, was as large in trials; that needs an offset and sensitivity
 * calibration from several still poses.) */
static float acc_offset(const ct_analysis *a)
{
    float beta = a->align.ref_norm > 0.0f ? a->align.ref_norm - 1.0f : 0.0f;
    return beta > ACC_OFFSET_MAX_G || beta < -ACC_OFFSET_MAX_G ? 0.0f : beta;
}

/* Whether the band stretch's reference was taken seated with the leg straight (see
 * SEATED_MAX_UP_COS); told from the reference as it is when the placement is decided and
 * again once the axis is locked (a newer still pose may have replaced it), then kept. */
static void foot_pose(ct_analysis *a)
{
    a->ref_seated = a->rx.exercise == EX_BAND_STRETCH && a->placement == PLACE_FOOT &&
                    a->align.up_ref.z < SEATED_MAX_UP_COS;
    a->band_abs = a->ref_seated;
}

/* The band stretch from gravity alone, seated with the leg straight: the ankle from
 * neutral, + dorsiflexion, deg (see SEATED_MAX_UP_COS). */
static float band_abs_deg(ct_vec3 up)
{
    float tilt = ct_atan2f(v3_norm(v3(up.x, up.y, 0.0f)), up.z) * CT_RAD2DEG_F;
    return tilt + DORSUM_SLOPE_DEG - 90.0f;
}

/* The exercise's measure now, in its unit (up by address: see still.h). */
static float measure(const ct_analysis *a, const ct_vec3 *up_p)
{
    ct_vec3 up = *up_p;
    switch (a->rx.exercise) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE:
        return a->placement == PLACE_SHIN ? a->height.live_cm : -a->angle_deg;
    case EX_BAND_STRETCH: {
        /* the ankle from neutral, the leg straight: the foot pitched 90 deg from flat */
        if (!a->acc_bias_known)
            return a->band_abs ? band_abs_deg(up) : a->angle_deg - 90.0f;
        /* gravity as the accelerometer reads it, less its offset (acc_offset.h): the
         * pose now and the standing reference's */
        ct_vec3 uc = v3_unit(v3_sub(v3_scale(up, a->g_norm_rest), a->acc_bias_g));
        if (a->band_abs)
            return band_abs_deg(uc);
        float rn = a->align.ref_norm > 0.5f ? a->align.ref_norm : 1.0f;
        ct_vec3 ur = v3_unit(v3_sub(v3_scale(a->align.up_ref, rn), a->acc_bias_g));
        ct_vec3 f = v3_unit(v3_reject(a->align.fwd, ur));
        return ct_atan2f(-v3_dot(uc, f), v3_dot(uc, ur)) * CT_RAD2DEG_F - 90.0f;
    }
    default: {
        /* shank: the whole tilt from the standing reference. With the foot flat the
         * shank can only lean forward, and leaving out the medio-lateral axis makes the
         * number immune to where the strap sits (lateral lean adds ~0.1 deg at 3 deg) */
        ct_vec3 u = a->align.up_ref;
        float c = v3_dot(up, u), s = v3_norm(v3_cross(up, u));
        float phi = ct_atan2f(s, c);
        /* The tilt is seen through the accelerometer, whose offset along the standing
         * up axis (what it reads above 1 g standing) leans every other pose's gravity
         * toward that axis by offset x sin(tilt): added back. */
        return (phi + acc_offset(a) * s) * CT_RAD2DEG_F;
    }
    }
}

/* Detector sizes from physical quantities: a heel rise starts 1.5 cm or 5 deg above
 * standing; a stretch 4 deg (downward dog: 1.5 deg, the heels press down with little
 * shank motion) or a quarter of the way to its target above where it started;
 * anything shorter than a plausible rep or hold is a step or a fidget. */
static void configure_detector(ct_analysis *a)
{
    ct_detect_settings c = {0};
    float tg = target_in_unit(a);
    switch (a->rx.exercise) {
    case EX_CALF_RAISE:
    case EX_ISOMETRIC_RAISE:
        c.engage = a->placement == PLACE_SHIN ? 1.5f : 5.0f;
        c.quiet_rate = a->placement == PLACE_SHIN ? 1.0f : 3.0f;
        c.min_s = 0.35f;
        c.max_s = a->rx.exercise == EX_CALF_RAISE ? 20.0f : 0.0f;
        /* reps done back to back split at the turn-around at the bottom: down by
         * half the rise at least */
        if (a->rx.exercise == EX_CALF_RAISE && a->placement == PLACE_SHIN)
            c.split_frac = 0.5f;
        break;
    case EX_DOWNWARD_DOG:
        /* the holds start from the dog pose itself (hands on the floor, hips high: the
         * shank leans well forward), never from standing: walking into the pose is not a
         * hold; pressing the heels down leans the shank a few degrees further */
        c.engage = 1.5f;
        c.min_s = 1.0f;
        c.quiet_rate = 1.0f;
        c.rest_min = DOG_POSE_MIN_DEG;
        c.has_rest_min = true;
        /* the pose's level is where the person sways about (a swing takes a few
         * seconds), not the end of the last swing: a swing up is no press */
        c.rest_tau_s = DOG_REST_TAU_S;
        break;
    default:
        c.engage = 4.0f;
        c.min_s = 1.0f;
        c.quiet_rate = 3.0f;
        break;
    }
    c.low = 0.5f * c.engage;
    /* a hold is over when the measure stays back near its start: bouncing in the
     * stretch or easing off for a moment dips toward it only briefly */
    if (a->rx.exercise != EX_CALF_RAISE) {
        c.end_s = HOLD_END_S;
        c.gap_s = HOLD_GAP_S;
        c.hold_phases = true;
        /* The band stretch is often begun with the foot pointed, to loop the band, and
         * the foot then comes back to rest wherever the band's pull leaves it: anywhere
         * between the pointed foot and the stretch. Still there, nearer the top than the
         * start, it is back at rest, not easing off for a moment (which a seated stretch
         * against a band, the leg straight and the pull steady, hardly does). */
        c.no_ease = a->rx.exercise == EX_BAND_STRETCH;
        /* A person with little range (a stiff ankle, 5 deg past rest) pulls the band up
         * slowly, 5 deg in 2-3 s: the rate is above that taken for still only for a
         * moment, and a rest level following the measure at once would climb with the
         * pull, which then never rises `engage` above it. The level the pull rose from
         * is kept for as long as a press from a pose takes to come up (slow_rise). */
        c.slow_rise = a->rx.exercise == EX_BAND_STRETCH;
        /* Easing off the band for a moment lets the foot go back toward rest, the band's
         * pull being all that holds it up: for a small range most of the way, as near
         * the start as the rest between holds is. It is back in within a second or two
         * (0.5-2 s, and under a second each way), where the rest between holds lasts
         * several: back near the start ends the hold only after HOLD_GAP_S there
         * (ease_at_base); the hold still ends where the measure came back down. The
         * downward dog's press leans the shank 2-4 deg, and the person sways about as
         * much (a degree either way, the slowest swings taking 4-10 s): a swing brings
         * the shank back near the pose for a moment, still at its turn, while the heels
         * stay pressed. Back in the pose, it stays there for the rest between holds. */
        c.ease_at_base = a->rx.exercise == EX_BAND_STRETCH || a->rx.exercise == EX_DOWNWARD_DOG;
    }
    /* an attempt given up half-way still counts (graded partial): a hold only has to
     * outlast a step or a shift of weight */
    if (a->rx.exercise != EX_CALF_RAISE) {
        c.min_s = 1.5f;
        c.min_turn_s = ATTEMPT_MIN_S;
    }
    if (a->rx.exercise == EX_BAND_STRETCH && c.min_s < 0.25f * hold_expect_s(a))
        c.min_s = 0.25f * hold_expect_s(a); /* sitting down moves the foot for seconds */
    c.has_target = tg > 0.0f;
    c.target = tg;
    detect_configure(&a->det, &c);
}

int analysis_init(ct_analysis *a, const ct_rx_item *item, float rate_hz)
{
    if (!a || !item || !(rate_hz > 1.0f) || (unsigned)item->exercise >= EX_COUNT)
        return CT_EARG;
    *a = (ct_analysis){0};
    a->rx = *item;
    a->period_s = 1.0f / rate_hz;
    a->partial_frac = item->partial_frac > 0.0f ? item->partial_frac : CT_PARTIAL_FRAC_DEFAULT;
    still_init(&a->still, NULL);
    gyro_offset_init(&a->gofs, NULL);
    acc_offset_init(&a->aofs, NULL);
    orient_init(&a->orient, NULL);
    align_init(&a->align, NULL, 1);
    height_init(&a->height, NULL);
    held_init(&a->held);
    planted_init(&a->planted);
    ct_detect_settings c = {0};
    detect_init(&a->det, &c);
    configure_detector(a);
    return CT_OK;
}

int analysis_set_rx(ct_analysis *a, const ct_rx_item *item)
{
    if (!a || !item || item->exercise != a->rx.exercise)
        return CT_EARG;
    a->rx = *item;
    a->partial_frac = item->partial_frac > 0.0f ? item->partial_frac : CT_PARTIAL_FRAC_DEFAULT;
    if (!a->det.active)
        configure_detector(a);
    return CT_OK;
}

static void foot_sign(ct_analysis *a);

void analysis_begin_set(ct_analysis *a, int set_no)
{
    if (a->placement == PLACE_FOOT && a->align.stage == ALIGN_DONE)
        foot_sign(a);
    a->set = set_no;
    a->ref_peak_valid = false; /* each set is graded against its own full reps */
    a->count_in_set = 0;
    a->t_set_us = a->t_us;
    a->n_attempts = 0;
    a->low_first_valid = false;
    configure_detector(a);
    detect_reset(&a->det);
}

/* Holds graded by their range from where they began, not by the level reached: the band
 * stretch (see grade) and the downward dog, whose pose is taken anew for each set (the
 * hands and feet placed again, the shank leaning a few degrees more or less), while the
 * heel press from it goes as deep as before: an earlier set's level is no reference for
 * the next set's holds, their range is. */
static bool ref_relative(const ct_analysis *a)
{
    return a->rx.exercise == EX_BAND_STRETCH || a->rx.exercise == EX_DOWNWARD_DOG;
}

/* Partial: the rise is below partial_frac of the patient's current full range (the
 * running level of their full reps in this exercise, from the prescribed target until
 * one is seen). Short hold: held under 90% of the prescription (holds) or under half
 * of a prescribed top pause (raises). Too fast: way up or down in under half the
 * prescribed time. */
static ct_grade grade(ct_analysis *a, const ct_excursion *x)
{
    float tg = target_in_unit(a);
    /* A pod on the foot sees the band stretch relative to a horizontal shank: the seated
     * shank's own incline (part of the ankle angle a target is set in) is hidden from
     * it, so the target's level is no reference there (its change between sets is, see
     * below). Full holds are compared by their range from the resting foot (lvl). */
    bool rel = ref_relative(a);
    float lvl = rel ? x->peak - x->base : x->peak;
    /* the reference: the patient's full reps in this set, else in earlier sets; the
     * prescribed target instead when it is lower (reachable) */
    float ref = 0.0f;
    bool have = false;
    if (a->ref_peak_valid) {
        ref = a->ref_peak;
        have = true;
    } else if (a->best_peak_valid) {
        ref = a->best_peak;
        have = true;
    }
    if (have && tg > 0.0f && tg < ref && !rel)
        ref = tg;
    float range = rel ? ref : ref - x->base, got = x->peak - x->base;
    /* The band stretch: the foot rests seated wherever the calf relaxes and the band's
     * pull leaves it (a few degrees elsewhere from one sitting to the next, and higher
     * for a hold begun before the foot was all the way back down), while the stretch
     * ends where the tissue or the target sets it; but the straight leg's incline, hidden
     * from the foot, also changes when the person sits down again, and moves both the
     * rest and the end as the foot sees them. Neither can be told from the foot alone:
     * a hold is partial only when it falls short both of the range of the full holds and
     * of the level they reached (measured along its own way up). Across sets, a lower
     * target prescribed now lowers both by as much (only the change is known: the
     * target's own level is hidden from the foot); a higher one may be beyond the
     * person's reach and raises nothing. */
    if (rel && have) {
        float top = a->ref_peak_valid ? a->ref_top : a->best_top;
        if (!a->ref_peak_valid && tg > 0.0f && a->best_target > 0.0f && tg < a->best_target) {
            top += tg - a->best_target;
            range += tg - a->best_target;
        }
        if (top - x->base < range)
            range = top - x->base;
    }
    /* (the downward dog's target is a lean of the shank, which the pod on it sees: a
     * hold reaching it is no partial one) */
    if (a->rx.exercise == EX_DOWNWARD_DOG && have && tg > 0.0f && tg - x->base < range)
        range = tg - x->base;
    ct_grade g = GRADE_FULL;
    if (have && range > 0.0f && got < a->partial_frac * range)
        g = GRADE_PARTIAL;
    else if (a->rx.hold_s > 0.0f &&
             (a->rx.exercise == EX_CALF_RAISE ? x->top_s < 0.5f * a->rx.hold_s && a->rx.hold_s >= 1.0f
                                              : x->top_s < 0.9f * a->rx.hold_s))
        g = GRADE_SHORT_HOLD;
    else if ((a->rx.up_s > 0.0f && x->up_s < CT_TOO_FAST_FRAC * a->rx.up_s) ||
             (a->rx.down_s > 0.0f && x->down_s < CT_TOO_FAST_FRAC * a->rx.down_s))
        g = GRADE_TOO_FAST;
    /* the set's reference follows full reps: fatigue lowers it, a better rep raises it
     * (a heel rise integrated from the accelerometer overshoots now and then by a few
     * cm: there one rep only moves it part of the way) */
    if (g != GRADE_PARTIAL) {
        if (!a->ref_peak_valid || (lvl > a->ref_peak && !needs_height(a))) {
            a->ref_peak = lvl;
            a->ref_top = x->peak;
        } else {
            a->ref_peak += 0.4f * (lvl - a->ref_peak);
            a->ref_top += 0.4f * (x->peak - a->ref_top);
        }
        a->ref_peak_valid = true;
        a->best_peak = a->ref_peak;
        a->best_top = a->ref_top;
        a->best_target = tg;
        a->best_peak_valid = true;
    } else if (!a->ref_peak_valid) {
        /* the first rep of a set, short of the earlier sets or of the target: the set's
         * own level until a better rep is seen (a person whose range is less today is
         * not graded partial all set long) */
        a->ref_peak = lvl;
        a->ref_top = x->peak;
        a->ref_peak_valid = true;
    }
    return g;
}

static void fill(const ct_analysis *a, ct_event *e, ct_event_kind kind)
{
    *e = (ct_event){0};
    e->kind = kind;
    e->exercise = a->rx.exercise;
    e->side = a->rx.side;
    e->placement = a->placement;
    e->set = a->set;
    e->t_start_us = e->t_peak_us = e->t_end_us = a->t_us;
}

/* Postures the exercise cannot be done in (physical limits, deg or cm of the measure):
 * a lunge or downward dog starts near standing and leans at most ~60 deg; a band
 * stretch is done sitting with the leg straight, the foot resting within ~60 deg of
 * neutral (not flat on the floor, which is -90). */
static void excursion_event(ct_analysis *a, const ct_excursion *x, ct_event *e);
static int pending_raise(ct_analysis *a, ct_event *out, int n, int max_out, bool flush);

static bool plausible(const ct_analysis *a, const ct_excursion *x)
{
    switch (a->rx.exercise) {
    case EX_LUNGE_STRETCH:
    case EX_DOWNWARD_DOG:
        return x->peak <= 60.0f && x->base <= 40.0f;
    case EX_BAND_STRETCH:
        return x->base >= -60.0f && x->peak >= -45.0f;
    default:
        return measure_unit(a) == RX_UNIT_CM ? x->peak <= 20.0f : x->peak - x->base <= 75.0f;
    }
}

/* Holds given up before the set's first hold: a movement from a still start position
 * straight back down to it and resting there (stepping into the lunge or sitting down
 * ends somewhere else). Alone such a movement is no different from a fidget, a knee
 * bob or sitting down, so it is kept until the first hold comes and told then, when it
 * began from the same start position (within `engage`), went a quarter of the way the
 * hold went at least, and the rest after it was no longer than a rest between holds. */
static void keep_attempt(ct_analysis *a, const ct_excursion *x)
{
    if (a->n_attempts == CT_ATTEMPTS_MAX) {
        memmove(&a->attempt[0], &a->attempt[1], (CT_ATTEMPTS_MAX - 1) * sizeof a->attempt[0]);
        a->n_attempts--;
    }
    a->attempt[a->n_attempts++] = *x;
}

static int tell_attempts(ct_analysis *a, const ct_excursion *x, ct_event *out, int n, int max_out)
{
    int k = a->n_attempts;
    a->n_attempts = 0;
    /* the attempts told: the latest ones, each followed soon by the next */
    int64_t t_next = x->t_start_us;
    int first = k;
    while (first > 0) {
        const ct_excursion *p = &a->attempt[first - 1];
        float rise = x->peak - x->base, shift = p->base - x->base;
        if ((float)(t_next - p->t_end_us) * 1e-6f > ATTEMPT_GAP_S ||
            shift > a->det.cfg.engage || shift < -a->det.cfg.engage ||
            p->peak - p->base < 0.25f * rise)
            break;
        t_next = p->t_start_us;
        first--;
    }
    if (first == k)
        return n;
    /* graded against the hold that followed when nothing else is known yet */
    if (!a->ref_peak_valid && !a->best_peak_valid) {
        a->ref_peak = ref_relative(a) ? x->peak - x->base : x->peak;
        a->ref_top = x->peak;
        a->ref_peak_valid = true;
    }
    for (int i = first; i < k && n < max_out; i++)
        excursion_event(a, &a->attempt[i], &out[n++]);
    return n;
}


/* A heel raise measured on the foot starts from the foot flat on the floor (the
 * standing reference) and lifts the heel off it. An excursion that started from the toes
 * lifted began its raise from flat (the heel was on the floor all along); one that gets
 * no higher than the heel leaving the floor is the toes coming down again (toe taps, a
 * leg stretched out from a chair, ankle pumps sitting on the floor with the foot
 * pointing up): false. */
static bool foot_raise_from_flat(ct_excursion *x)
{
    if (x->base < -FOOT_FLAT_TOL_DEG)
        x->base = 0.0f;
    return x->peak >= FOOT_HEEL_OFF_DEG;
}

/* Before the band stretch's first hold has told where the seated foot rests
 * (BAND_STANDING_DEG): a movement from below where it was last seen resting (from) back
 * up to no higher than `engage` above it (top) is the foot coming back to rest, no
 * stretch. */
static bool band_back_to_rest(const ct_analysis *a, float from, float top)
{
    float e = a->det.cfg.engage;
    return a->rx.exercise == EX_BAND_STRETCH && !a->seated_valid && a->seat_rest_valid &&
           from < a->seat_rest - e && top < a->seat_rest + e;
}

/* A band stretch pulls the foot toward the shin from where it rests seated: a movement
 * from the foot pointed (the band looped round it), base well below that rest, to a level
 * no higher than `engage` above it is the foot coming back to rest, no stretch
 * (BAND_POINTED_DEG). */
static bool band_relaxing(const ct_analysis *a, float base, float level)
{
    return a->rx.exercise == EX_BAND_STRETCH && a->seated_valid &&
           level < a->seated + a->det.cfg.engage && base <= a->seated - BAND_POINTED_DEG;
}

/* Was the pod last turned on the leg (a strap turn as told) between t0 and t1? */
static bool strap_turned_in(const ct_analysis *a, int64_t t0_us, int64_t t1_us)
{
    return a->strap_seen && a->t_strap_us >= t0_us && a->t_strap_us <= t1_us;
}

static int excursion_out(ct_analysis *a, const ct_excursion *xin, ct_event *out, int n,
                         int max_out)
{
    ct_excursion xf = *xin;
    const ct_excursion *x = &xf;
    if (n >= max_out || !plausible(a, x))
        return n;
    /* No lunge or dog hold when the pod turned about the leg's long axis meanwhile (as
     * for the isometric raise: a strap turn as told, at 5 deg/s and more, the body
     * quiet): the strap adjusted, bent down to it with the shank leaning. Leaning into
     * the stretch with the foot planted turns the shank forward over it, not about
     * itself. */
    if ((a->rx.exercise == EX_LUNGE_STRETCH || a->rx.exercise == EX_DOWNWARD_DOG) &&
        strap_turned_in(a, x->t_start_us, x->t_end_us))
        return n;
    /* (resting there until the foot is pointed again: band_relaxing) */
    if (band_relaxing(a, x->base, x->top))
        return n;
    if (a->placement == PLACE_FOOT && is_raise(a->rx.exercise) && !foot_raise_from_flat(&xf))
        return n;
    /* (from where the movement into it began, which the level it came to rest at
     * afterwards may hide) */
    if (band_back_to_rest(a, x->from < x->base ? x->from : x->base, x->top))
        return n;
    /* A hold much shorter than prescribed is an attempt given up only when the set is
     * under way and it went a good part of the way; otherwise it is a fidget, a lean,
     * a shift of weight. */
    float dur = (float)(x->t_end_us - x->t_start_us) * 1e-6f;
    /* (band references are ranges from the resting foot already) */
    float ref_range = ref_relative(a) ? a->ref_peak : a->ref_peak - x->base;
    /* The set's first hold is measured by its time at the top: the way up and down
     * hold nothing, and a slow fidget or bending down to the strap takes seconds each
     * way with hardly a moment still at the top. */
    float held_s = a->count_in_set == 0 && x->top_s < dur ? x->top_s : dur;
    /* With no hold prescribed (a recording analysed on its own) there is no attempt to
     * give up: a stretch held under UNPRESCRIBED_HOLD_S is a lean or a step. Held is
     * the time at the top for every hold there, not only the set's first: the set stays
     * open between the sets of such a recording, and bending forward to sit down or a
     * fidget standing takes a second or two each way with hardly a moment at the lean,
     * which its whole length (over 2 s) would pass for a hold. */
    if (a->rx.exercise != EX_CALF_RAISE && !(a->rx.hold_s > 0.0f) &&
        (held_s < UNPRESCRIBED_HOLD_S || x->top_s < UNPRESCRIBED_HOLD_S))
        return n;
    if (a->rx.exercise != EX_CALF_RAISE && held_s < 0.25f * hold_expect_s(a) &&
        (a->count_in_set == 0 || !a->ref_peak_valid || x->peak - x->base < 0.25f * ref_range)) {
        if (a->count_in_set == 0 && x->turned)
            keep_attempt(a, x);
        return n;
    }
    if (a->rx.exercise != EX_CALF_RAISE && a->count_in_set == 0 && a->n_attempts > 0)
        n = tell_attempts(a, x, out, n, max_out);
    if (n >= max_out)
        return n;
    /* A heel raise lower than a bounce of the heels (weight shifting, fidgeting) counts
     * only once the set is under way with real reps to compare it with. */
    /* But one the set's reps follow at once was the set's first rep, cut short: it is
     * kept and told before the first full rep when the pause between them was shorter
     * than that full rep took (reps follow one another in a rhythm; getting ready and
     * shifting weight come before it), it took no longer than that full rep (cut
     * short, it went less far; a slow shift of weight while getting ready takes
     * longer), it rose from the same level, and it went a quarter of the full rep's way
     * at least (an abandoned rep does). */
    if (a->rx.exercise == EX_CALF_RAISE && a->count_in_set == 0 && !a->pend_valid) {
        float rise = x->peak - x->base;
        if (rise < (measure_unit(a) == RX_UNIT_CM ? RAISE_MIN_CM : RAISE_MIN_DEG)) {
            a->low_first = *x;
            a->low_first_valid = true;
            return n;
        }
        if (a->low_first_valid) {
            const ct_excursion *p = &a->low_first;
            float gap = (float)(x->t_start_us - p->t_end_us) * 1e-6f;
            float p_dur = (float)(p->t_end_us - p->t_start_us) * 1e-6f;
            float shift = p->base - x->base;
            a->low_first_valid = false;
            if (gap <= dur && p_dur <= dur && shift <= a->det.cfg.engage &&
                shift >= -a->det.cfg.engage && p->peak - p->base >= REP_MIN_OF_REF * rise) {
                /* with no full rep of the set's own before it, it is graded against the
                 * one that follows (and does not set the set's level) */
                bool had = a->ref_peak_valid, best = a->best_peak_valid;
                float rp = a->ref_peak, rt = a->ref_top, bp = a->best_peak, bt = a->best_top;
                float btg = a->best_target;
                excursion_event(a, p, &out[n]);
                if (!had) {
                    a->ref_peak_valid = false;
                    a->ref_peak = rp;
                    a->ref_top = rt;
                    a->best_peak_valid = best;
                    a->best_peak = bp;
                    a->best_top = bt;
                    a->best_target = btg;
                    if (p->peak - p->base < a->partial_frac * rise)
                        out[n].grade = GRADE_PARTIAL;
                }
                n++;
            }
            if (n >= max_out)
                return n;
        }
    } else if (a->rx.exercise == EX_CALF_RAISE && a->count_in_set == 0 &&
               x->peak - x->base < (measure_unit(a) == RX_UNIT_CM ? RAISE_MIN_CM : RAISE_MIN_DEG))
        return n;
    if (a->placement == PLACE_FOOT && is_raise(a->rx.exercise)) {
        /* A walking step also lifts the heel, but the toes come up right after it (heel
         * strike): a raise is told only once the foot has stayed flat for a moment. */
        if (a->pend_valid) {
            excursion_event(a, &a->pend, &out[n++]);
            if (n >= max_out) {
                a->pend_valid = false;
                return n;
            }
        }
        a->pend = *x;
        a->pend_valid = true;
        a->pend_until_us = x->t_end_us + RAISE_CONFIRM_US;
        return n;
    }
    excursion_event(a, x, &out[n]);
    return n + 1;
}

/* The pending raise: dropped when the toes come up (a step), told when it is due. */
static int pending_raise(ct_analysis *a, ct_event *out, int n, int max_out, bool flush)
{
    /* (the set's low first raise: a step too when the toes come up after it) */
    if (a->low_first_valid && a->placement == PLACE_FOOT) {
        float lf = a->low_first.base > a->det.rest ? a->low_first.base : a->det.rest;
        if (a->value < lf - STEP_TOES_UP_DEG)
            a->low_first_valid = false;
    }
    if (!a->pend_valid)
        return n;
    /* toes up: below where the rep began or the foot came to rest after it */
    float flat = a->pend.base > a->det.rest ? a->pend.base : a->det.rest;
    if (a->value < flat - STEP_TOES_UP_DEG) {
        a->pend_valid = false;
        return n;
    }
    if ((flush || a->t_us >= a->pend_until_us) && n < max_out) {
        excursion_event(a, &a->pend, &out[n++]);
        a->pend_valid = false;
    }
    return n;
}

static void excursion_event(ct_analysis *a, const ct_excursion *x, ct_event *e)
{
    fill(a, e, a->rx.exercise == EX_CALF_RAISE ? EV_REP : EV_HOLD);
    e->number = ++a->count_in_set;
    detect_told(&a->det);
    e->t_start_us = x->t_start_us;
    e->t_peak_us = x->t_peak_us;
    e->t_end_us = x->t_end_us;
    if (measure_unit(a) == RX_UNIT_CM)
        e->height_cm = x->peak;
    else if (is_raise(a->rx.exercise))
        e->peak_deg = x->peak - x->base; /* a raise starts from the foot flat on the floor */
    else
        e->peak_deg = x->peak;
    e->up_s = x->up_s;
    e->top_s = x->top_s;
    e->down_s = x->down_s;
    e->hold_s = target_in_unit(a) > 0.0f ? x->above_s : x->top_s;
    e->target = a->rx.target;
    e->grade = grade(a, x);
    /* Where the foot rests seated: where the holds were pulled from (the still step the
     * way up began at, or the base where the measure came to rest after the hold, when
     * higher: the step may be the foot still pointed), the lowest of them (sitting down
     * again may lower it; a hold begun before the foot was back at rest reads high).
     * A hold pulled from the foot still pointed, well below it, tells nothing of it. */
    if (a->rx.exercise == EX_BAND_STRETCH) {
        float rest = x->from > x->base ? x->from : x->base;
        if (!a->seated_valid || (rest < a->seated && rest > a->seated - BAND_POINTED_DEG))
            a->seated = rest;
        a->seated_valid = true;
    }
}

/* How far past where it truly ended the integration can put the pod along the line it
 * swung out on (see REP_END_BIAS_DPS), m. */
static float on_drift(const ct_planted_move *m, const ct_height_rep *r)
{
    float T = m->span_s;
    float bias = REP_END_BIAS_DPS * CT_DEG2RAD_F * 9.80665f * T * T * T / 12.0f;
    float tilt = REP_SHIFT_DRIFT_MPS2 * T * T / 8.0f;
    return (bias < tilt ? bias : tilt) + REP_END_MIN_M +
           REP_POD_UP_SHANK_M * r->end_deg * CT_DEG2RAD_F;
}

/* The foot stayed planted through the rep r (see REP_MAX_SHIFT_M) and the pod swung
 * out and back as a heel turning about the ball of the foot moves it (see
 * REP_MIN_SWING_OF_RISE); true when the history does not reach back to its start. */
static bool planted(const ct_analysis *a, const ct_height_rep *r)
{
    ct_planted_move m;
    if (!planted_move_via(&a->planted, r->t_start_us, r->t_peak_us, r->t_end_us, &m))
        return true;
    float drift = REP_SHIFT_DRIFT_MPS2 * m.span_s * m.span_s / 8.0f;
    float yaw_max = REP_YAW_LEFT_DEG + REP_YAW_BIAS_DPS * m.span_s;
    if (yaw_max > REP_MAX_YAW_DEG)
        yaw_max = REP_MAX_YAW_DEG;
    if (m.shift_m > REP_MAX_SHIFT_M + drift || m.yaw_deg > yaw_max || m.yaw_deg < -yaw_max)
        return false;
    float up_s = (float)(r->t_peak_us - r->t_start_us) * 1e-6f;
    float drift_up = REP_SHIFT_DRIFT_MPS2 * up_s * up_s / 8.0f;
    float swing = sqrtf(m.via_x_m * m.via_x_m + m.via_y_m * m.via_y_m);
    if (swing + drift_up < REP_MIN_SWING_OF_RISE * r->peak_cm * 0.01f)
        return false; /* lifted straight up */
    /* how far on from the start the pod ended, along the line it swung out on: nearer
     * the start than the top (else it was carried on to where it was put down) */
    float on = swing > 0.0f ? (m.x_m * m.via_x_m + m.y_m * m.via_y_m) / swing : 0.0f;
    return on - on_drift(&m, r) < 0.5f * swing;
}

/* How far the shank may turn in all over the rep r (see REP_MAX_TURN_DEG), deg. */
static float rep_max_path_deg(const ct_height_rep *r)
{
    float tip = REP_TIP_PER_CM * r->peak_cm;
    if (tip > r->tip_deg)
        tip = r->tip_deg;
    float path = 2.0f * tip + REP_SWAY_DEG;
    return path > REP_MAX_TURN_DEG ? path : REP_MAX_TURN_DEG;
}

/* The fastest the rep r can come onto the floor with its landing missed (see
 * REP_LAND_MPS, REP_LAND_GROW_MPS2), m/s. */
static float land_allow_mps(const ct_height_rep *r)
{
    float grow = REP_LAND_GROW_MPS2 * (float)(r->t_end_us - r->t_start_us) * 1e-6f;
    return grow < REP_LAND_MPS ? grow : REP_LAND_MPS;
}

/* The rep the height path just ended, floor to floor, told if it is one: a heel raise
 * tips the shank by ~10 deg at most and back (with sway, REP_MAX_TURN_DEG in all); a
 * step or a shift of weight turns it more. Once the set has full reps, one under a
 * quarter of theirs is a bounce of the heels (an abandoned rep goes a quarter of the way
 * at least); the first rep of a set has to rise RAISE_MIN_CM, unless the set's reps
 * follow it at once (excursion_out). */
static int rep_out(ct_analysis *a, ct_event *out, int n, int max_out)
{
    ct_height_rep r;
    bool got = a->set > 0 && height_segment_rep(&a->height, target_in_unit(a), &r);
    if (!got || r.peak_cm < a->det.cfg.engage ||
        (float)(r.t_end_us - r.t_start_us) * 1e-6f < a->det.cfg.min_s ||
        r.path_deg > rep_max_path_deg(&r) ||
        r.tip_deg > REP_MAX_TIP_DEG ||
        (r.tip_deg > REP_LEAN_MIN_DEG && r.back_deg > REP_MAX_BACK_DEG) ||
        r.end_deg > REP_MAX_END_DEG ||
        (a->count_in_set == 0 && r.tip_deg > REP_LEAN_MIN_DEG &&
         r.end_deg > REP_KEPT_LEAN_FRAC * r.tip_deg) ||
        r.t_start_us < a->t_set_us - REP_BEFORE_SET_US ||
        (a->align.ref_valid &&
         v3_dot(a->orient.up, a->align.up_ref) < REP_MAX_FROM_STANCE_COS) ||
        (r.land_mps > land_allow_mps(&r) && r.land_mps > REP_LAND_FRAC * r.down_mps) ||
        !planted(a, &r) ||
        (a->ref_peak_valid && r.peak_cm < REP_MIN_OF_REF * a->ref_peak))
        return n;
    ct_excursion x = {.t_start_us = r.t_start_us, .t_peak_us = r.t_peak_us,
                      .t_end_us = r.t_end_us, .base = 0.0f, .top = r.peak_cm, .peak = r.peak_cm,
                      .above_s = r.above_s, .up_s = r.up_s, .top_s = r.top_s, .down_s = r.down_s};
    return excursion_out(a, &x, out, n, max_out);
}

int analysis_end_set(ct_analysis *a, ct_event *out, int max_out)
{
    int n = 0;
    ct_excursion x;
    if (a->set > 0 && detect_flush(&a->det, a->t_us, &x))
        n = excursion_out(a, &x, out, n, max_out);
    /* a heel raise whose landing was seen is whole even if the set ends before the heels
     * have come to rest (the person stopped on the last rep) */
    ct_height_segment seg;
    if (needs_height(a) && a->rx.exercise == EX_CALF_RAISE && height_finish(&a->height, a->t_us, &seg))
        n = rep_out(a, out, n, max_out);
    n = pending_raise(a, out, n, max_out, true);
    a->n_attempts = 0;
    a->set = 0;
    return n;
}

/* Whether the still pose just taken as the reference is to be dropped, waiting for a
 * standing one (see SHIN_WAIT_STILL_S). */
static bool wait_standing(const ct_analysis *a)
{
    float c = a->align.up_ref.x < 0.0f ? -a->align.up_ref.x : a->align.up_ref.x;
    return !placement_ok(a->rx.exercise, PLACE_FOOT) && c < SHIN_MIN_X_COS;
}

/* The placement, told once per exercise when the first standing reference is taken. */
static int decide_placement(ct_analysis *a, ct_event *out, int max_out)
{
    ct_vec3 u = a->align.up_ref;
    float c = u.x < 0.0f ? -u.x : u.x;
    a->placement = c >= SHIN_MIN_X_COS ? PLACE_SHIN : PLACE_FOOT;
    a->placement_told = true;
    a->strap_axis = a->placement == PLACE_FOOT ? v3(0.0f, 0.0f, 1.0f) : v3(1.0f, 0.0f, 0.0f);
    foot_pose(a);
    /* without a gesture the first excursion is the exercise: plantarflexion for a
     * raise measured on the foot, forward (dorsiflexion) otherwise */
    a->align.expect_sign = a->placement == PLACE_FOOT && is_raise(a->rx.exercise) ? -1 : 1;
    configure_detector(a);
    int n = 0;
    if (n < max_out) {
        fill(a, &out[n], EV_PLACEMENT);
        n++;
    }
    if (!placement_ok(a->rx.exercise, a->placement) && n < max_out) {
        fill(a, &out[n], EV_WRONG_PLACEMENT);
        n++;
    }
    return n;
}

/* On the foot the dorsum slopes down to the toes, so standing gravity leans toward the
 * heel in the pod's plane: that gives the foot's long axis (within the pod's mounting
 * tilt, ~5 deg) whatever the calibration gesture was. The gyro's axis from an ankle
 * pump is finer and is kept when it agrees; any other motion (sitting down, walking)
 * mixes in other rotations, so the dorsum's axis wins. The angle is + toes up
 * (dorsiflexion) when `fwd` points to the heel.
 * foot_heel gives that direction: standing, the dorsum's slope down to the toes across
 * gravity, toward the heel; seated with the leg straight the foot points up and the
 * slope across gravity runs the other way: toward the hip, which is where the toes go in
 * dorsiflexion. False when the pod lies too flat on the foot to tell (under ~6 deg). */
static bool foot_heel(const ct_analysis *a, ct_vec3 *heel)
{
    ct_vec3 u = a->align.up_ref, z = v3(0.0f, 0.0f, 1.0f);
    ct_vec3 h = v3_reject(u, z);
    if (v3_norm2(h) < 0.01f)
        return false;
    h = v3_unit(v3_reject(h, u));
    *heel = a->ref_seated ? v3_scale(h, -1.0f) : h;
    return true;
}

static void foot_sign(ct_analysis *a)
{
    ct_vec3 heel;
    if (!foot_heel(a, &heel))
        return;
    if (v3_dot(a->align.fwd, heel) < 0.0f) {
        a->align.fwd = v3_scale(a->align.fwd, -1.0f);
        a->align.ml = v3_scale(a->align.ml, -1.0f);
    }
}

/* A raise measured on the foot with no axis yet (no ankle pump was seen: a knee sway
 * does not turn a planted foot) once the set is open: the dorsum's slope gives the
 * foot's long axis and its sign (see foot_forward). Without it the measure is the
 * unsigned tilt from standing, and lifting the toes reads as a raise. Nothing when the
 * pod lies too flat on the foot to tell (under ~6 deg). */
static void foot_axis_from_dorsum(ct_analysis *a)
{
    ct_vec3 u = a->align.up_ref, z = v3(0.0f, 0.0f, 1.0f);
    ct_vec3 heel = v3_reject(u, z);
    if (v3_norm2(heel) < 0.01f)
        return;
    heel = v3_unit(v3_reject(heel, u));
    a->align.fwd = heel;
    a->align.ml = v3_cross(u, heel);
    a->align.gesture = false;
    a->align.stage = ALIGN_DONE;
}

static void foot_forward(ct_analysis *a)
{
    foot_pose(a);
    ct_vec3 u = a->align.up_ref, heel;
    if (!foot_heel(a, &heel)) /* flatter than ~6 deg: keep what the gyro says */
        return;
    if (v3_dot(a->align.fwd, heel) < 0.0f) {
        a->align.fwd = v3_scale(a->align.fwd, -1.0f);
        a->align.ml = v3_scale(a->align.ml, -1.0f);
    }
    if (!a->align.gesture || v3_dot(a->align.fwd, heel) < FOOT_AXIS_AGREE_COS) {
        a->align.fwd = heel;
        a->align.ml = v3_cross(u, heel);
    }
}

/* The exercise's own motion refines the foot's medio-lateral axis: heel raises and band
 * stretches turn the foot about it. The rate's outer products over the reps give the
 * principal axis across the standing up axis (the dorsum's slope, which gave the first
 * estimate, differs between people and under a tilted pod). */
static void axis_learn(ct_analysis *a, ct_vec3 gc, float dt)
{
    ct_vec3 w = v3_scale(gc, CT_DEG2RAD_F);
    float *m = a->axis_s;
    m[0] += w.x * w.x * dt;
    m[1] += w.x * w.y * dt;
    m[2] += w.x * w.z * dt;
    m[3] += w.y * w.y * dt;
    m[4] += w.y * w.z * dt;
    m[5] += w.z * w.z * dt;
}

static float quad(const float *m, ct_vec3 a, ct_vec3 b)
{
    ct_vec3 mb = v3(m[0] * b.x + m[1] * b.y + m[2] * b.z, m[1] * b.x + m[3] * b.y + m[4] * b.z,
                    m[2] * b.x + m[4] * b.y + m[5] * b.z);
    return v3_dot(a, mb);
}

static void axis_refine(ct_analysis *a)
{
    ct_align *al = &a->align;
    ct_vec3 e1 = al->fwd, e2 = al->ml;
    float c11 = quad(a->axis_s, e1, e1), c22 = quad(a->axis_s, e2, e2);
    float c12 = quad(a->axis_s, e1, e2);
    float tr = c11 + c22, df = c11 - c22, r = sqrtf(df * df + 4.0f * c12 * c12);
    if (tr < AXIS_MIN_ENERGY || 0.5f * (tr - r) > AXIS_MAX_PLANARITY * 0.5f * (tr + r))
        return;
    float th = 0.5f * atan2f(2.0f * c12, df); /* setup path: once per rep */
    ct_vec3 major = v3_add(v3_scale(e1, cosf(th)), v3_scale(e2, sinf(th)));
    float c = v3_dot(major, e2);
    if (c < 0.0f) {
        major = v3_scale(major, -1.0f);
        c = -c;
    }
    if (c < AXIS_AGREE_COS) /* not turning about anything like the foot's axis */
        return;
    al->ml = v3_unit(major);
    al->fwd = v3_unit(v3_cross(al->ml, al->up_ref));
    foot_sign(a);
}

/* A unit vector fixed in the world, seen from the pod after it turned by -w (rad): turned
 * back by the pod's rotation, one small step */
static void turn_back(ct_vec3 *v, ct_vec3 w)
{
    *v = v3_unit(v3_add(*v, v3_cross(w, *v)));
}

/* the references carried aside through a rocked turn (STRAP_ROCK_TAN): world-fixed
 * vectors turn back by the pod's rotation */
static void rock_turn(ct_analysis *a, ct_vec3 gc, float dt)
{
    ct_vec3 w = v3_scale(gc, -CT_DEG2RAD_F * dt);
    turn_back(&a->rock_up, w);
    turn_back(&a->rock_fwd, w);
    turn_back(&a->rock_ml, w);
}

/* A strap turn moves the pod on the leg: carry the segment's reference axes along
 * (the inverse of the pod's rotation), so the numbers do not jump. */
static void follow_strap(ct_analysis *a, ct_vec3 gc, ct_vec3 acc, float acc_n, bool still, float dt)
{
    float w2 = v3_norm2(gc);
    bool foot = a->placement == PLACE_FOOT;
    float min_dps = foot ? STRAP_MIN_DPS_FOOT : STRAP_MIN_DPS;
    float tn = foot ? STRAP_AXIS_TAN_FOOT : STRAP_AXIS_TAN;
    /* the body must be quiet: a turn of the leg comes with steps, which change |a|.
     * The accelerometer's offset, once known (acc_offset.h), is taken off first: it adds
     * its component along gravity to |a|, and a half turn of the pod about its normal
     * reverses that component (a consumer-grade sensor's 60 mg: up to 0.1 g, twice
     * STRAP_QUIET_G_FOOT; the turn was dropped half-way and the reference left turned
     * by what remained of it) */
    float dn = a->acc_bias_known ? v3_norm(v3_sub(acc, a->acc_bias_g)) - a->g_norm_rest_c
                                 : acc_n - a->g_norm_rest;
    float qg = foot ? STRAP_QUIET_G_FOOT : STRAP_QUIET_G;
    if (!a->acc_bias_known && (a->strap_turning || a->strap_settling))
        qg += STRAP_OFFSET_G * v3_norm(v3_sub(a->orient.up, a->strap_g0));
    bool quiet = dn < qg && dn > -qg;
    if (a->strap_settling && !a->strap_turning) {
        /* a turn ended with the pod still shaken: gravity once it is at rest
         * (STRAP_SETTLE_US) */
        a->strap_settle_deg += sqrtf(w2) * dt;
        /* the pod keeps its place on the leg now: what turns it is the leg itself, under
         * the reference (fixed in the pod) and gravity turning with the world; the
         * difference takes the leg's motion in, whatever gravity is seen at the end */
        ct_vec3 w = v3_scale(gc, CT_DEG2RAD_F * dt);
        a->strap_ref_d = v3_add(a->strap_ref_d, v3_cross(w, a->orient.up));
        if (!quiet || a->strap_settle_deg > STRAP_SETTLE_MAX_DEG ||
            a->t_us - a->t_strap_us > STRAP_SETTLE_US) {
            a->strap_settling = false;
            a->align.up_ref = v3_unit(v3_add(a->orient.up, a->strap_ref_d));
        } else if (a->still.acc_var_g2 < STRAP_REST_VAR_G2 && w2 < min_dps * min_dps) {
            a->align.up_ref = v3_unit(v3_add(v3_unit(a->still.acc_mean_g), a->strap_ref_d));
            a->strap_settling = false;
        }
    }
    bool after_step = a->t_us - a->t_step_us < STRAP_AFTER_STEP_US;
    bool from_rest = a->t_us - a->t_near_rest_us < STRAP_ROCK_FROM_REST_US;
    if (a->still.acc_var_g2 < STRAP_NEAR_REST_VAR_G2)
        a->t_near_rest_us = a->t_us;
    if (a->rock_active) {
        /* a rocked turn carried aside (STRAP_ROCK_TAN) until a tug follows */
        if (!quiet || after_step || a->strap_turning ||
            a->t_us - a->t_rock_us > STRAP_RETUG_US) {
            a->rock_active = false;
        } else if (w2 > 1.0f) {
            float al_dps = v3_dot(gc, a->strap_axis);
            a->rock_along_deg += fabsf(al_dps) * dt;
            a->rock_across_deg += v3_norm(v3_reject(gc, a->strap_axis)) * dt;
            rock_turn(a, gc, dt);
        }
    }
    if (!a->strap_turning && w2 < min_dps * min_dps)
        return; /* the common case: nothing turning */
    float along = v3_dot(gc, a->strap_axis);
    ct_vec3 across = v3_reject(gc, a->strap_axis);
    bool turning = quiet && along * along > min_dps * min_dps &&
                   v3_norm2(across) < tn * tn * along * along;
    /* a leg stepping a moment ago turns with the body (see STRAP_AFTER_STEP_US) */
    if (!a->strap_turning && after_step)
        turning = false;
    if (!foot && !turning && !a->strap_turning && !after_step && quiet &&
        a->align.stage == ALIGN_DONE && along * along > min_dps * min_dps &&
        v3_norm2(across) < STRAP_ROCK_TAN * STRAP_ROCK_TAN * along * along) {
        if (!a->rock_active && from_rest &&
            !(a->strap_seen && a->t_us - a->t_strap_us < STRAP_RETUG_US)) {
            a->rock_active = true;
            a->rock_along_deg = 0.0f;
            a->rock_across_deg = 0.0f;
            a->rock_up = a->align.up_ref;
            a->rock_fwd = a->align.fwd;
            a->rock_ml = a->align.ml;
            rock_turn(a, gc, dt);
        }
        if (a->rock_active)
            a->t_rock_us = a->t_us;
    }
    /* on the foot a turn about the vertical is the body turning on it, not the strap;
     * but with the dorsum nearly level the pod's normal is itself within 10 deg of the
     * vertical, and a turn nearer the normal than the vertical is the strap's */
    if (foot && turning && !(a->strap_seen && a->t_us - a->t_strap_us < STRAP_RETUG_US)) {
        float cu = v3_dot(gc, a->orient.up);
        if (cu * cu > FOOT_BODY_TURN_COS2 * w2 && cu * cu > along * along)
            turning = false;
    }
    /* once the pod is seen turning on the leg, follow it through the slow start and
     * end of the turn, as long as it turns about the strap axis; any other rotation
     * (the leg moving again) or rest ends it */
    bool about_axis = v3_norm2(across) <= tn * tn * along * along;
    ct_align *al = &a->align;
    /* The standing reference is gravity as the accelerometer saw it, and the
     * accelerometer's own errors (offsets, axis misalignment: ~1.5 deg of direction)
     * stay fixed in the pod while the pod turns; carried by the gyro they would turn with
     * it (a 180 deg turn puts them on the other side: ~3 deg off). So what is carried
     * is the reference's difference from gravity as seen just before the turn, and the
     * reference becomes gravity as seen after it plus that difference. */
    ct_vec3 g_seen = v3_unit(a->still.acc_mean_g);
    /* only gravity when the pod is at rest at both ends (at the start, nearly: gravity
     * then from the orientation filter), else the gyro carries it all */
    bool at_rest = a->still.acc_var_g2 < STRAP_REST_VAR_G2;
    bool near_rest = a->still.acc_var_g2 < STRAP_NEAR_REST_VAR_G2;
    if (!at_rest)
        g_seen = a->orient.up;
    if (turning && !a->strap_turning) {
        /* a tug follows a rocked turn: that was the first tug (STRAP_ROCK_TAN) */
        if (a->rock_active && !a->strap_settling &&
            a->rock_across_deg < STRAP_ROCK_TAN * a->rock_along_deg &&
            a->rock_along_deg > STRAP_ROCK_MIN_DEG) {
            al->up_ref = a->rock_up;
            al->fwd = a->rock_fwd;
            al->ml = a->rock_ml;
        }
        a->rock_active = false;
        /* the next tug of an adjust still settling: the leg has kept still, and the
         * difference carried through the last tug holds */
        if (!a->strap_settling) {
            a->strap_ref_d = v3_sub(al->up_ref, g_seen);
            a->strap_d_valid = near_rest || a->t_us - a->t_near_rest_us < STRAP_START_US;
            a->strap_g0 = a->orient.up;
        }
        a->strap_settling = false;
    } else if (!turning && a->strap_turning && (still || !quiet || (w2 > 1.0f && !about_axis)) &&
               a->strap_d_valid) {
        if (at_rest)
            al->up_ref = v3_unit(v3_add(g_seen, a->strap_ref_d));
        else if (!foot && al->stage == ALIGN_DONE && (still || (quiet && w2 < min_dps * min_dps))) {
            /* the turn stopped (not the leg moving on). Not before the calibration
             * gesture is over: the reference is still being taken then, the pod put on
             * the leg (in the programme's passes, a tug or two before the still pose) */
            a->strap_settling = true;
            a->strap_settle_deg = 0.0f;
        }
    }
    if (turning)
        a->strap_turning = true;
    else if (still || !quiet || (w2 > 1.0f && !about_axis))
        a->strap_turning = false;
    if (!a->strap_turning || w2 <= 1.0f)
        return;
    ct_vec3 w = v3_scale(gc, -CT_DEG2RAD_F * dt); /* world-fixed vectors turn back */
    a->strap_ref_d = v3_add(a->strap_ref_d, v3_cross(w, a->strap_ref_d));
    turn_back(&al->up_ref, w);
    turn_back(&al->fwd, w);
    turn_back(&al->ml, w);
    if (al->stage == ALIGN_AXIS) {
        /* the axis is still being learnt: what it was learnt from so far is fixed in the
         * pod too. The first excursion's far point gives the sign of the sagittal axis
         * (a lean to reach the strap is forward): left where the pod was, after a turn
         * of 90-270 deg it reads on the other side and the whole session's angle would
         * come out with the sign flipped. The basis the rotation energy is summed in
         * turns along, so the sums stay about the same leg axes. */
        turn_back(&al->first_far, w);
        turn_back(&al->e1, w);
        turn_back(&al->e2, w);
    }
}


int analysis_update(ct_analysis *a, const ct_sample *s, ct_event *out, int max_out)
{
    int n = 0;
    float dt = a->period_s;
    int64_t period_us = (int64_t)(a->period_s * 1e6f);
    int64_t t_us = s->t_us;
    if (a->have_prev) {
        /* Device time is trusted, but a sample that shares (or goes back on) the previous
         * timestamp, or jumps far ahead, gets the nominal period instead; the clock then
         * resynchronises on the next plausible timestamp. */
        int64_t d = s->t_us - a->prev_t_us;
        uint64_t lost = s->index > a->prev_index + 1 ? s->index - a->prev_index - 1 : 0;
        int64_t expect = period_us * (int64_t)(lost + 1);
        if (d > expect / 4 && d < expect * 4) {
            dt = (float)d * 1e-6f;
        } else {
            dt = a->period_s * (float)(lost + 1);
            t_us = a->prev_t_us + expect;
        }
        if ((lost || (s->flags & CT_SAMPLE_GAP)) && n < max_out) {
            a->t_us = t_us;
            fill(a, &out[n], EV_GAP);
            out[n].lost_samples = lost;
            n++;
        }
    }
    a->have_prev = true;
    a->prev_t_us = t_us;
    a->prev_index = s->index;
    a->t_us = t_us;

    ct_vec3 acc = v3_from(s->acc_g), gyr = v3_from(s->gyr_dps);
    ct_vec3 gc = v3_sub(gyr, a->gofs.bias_dps);
    /* (the accelerometer's part of the orientation first: see orient_acc) */
    ct_orient_acc oa = orient_acc(&a->orient, &acc);
    float acc_n = v3_norm(acc); /* (one square root for the three uses below) */
    bool still = still_update(&a->still, &acc, &gyr, &gc, a->gofs.known, dt);
    gc = gyro_offset_update(&a->gofs, &gyr, a->still.still_s, dt);
    if (a->gofs.known && a->rx.exercise == EX_BAND_STRETCH) /* where it is used (measure) */
        acc_offset_update(&a->aofs, &gc, &a->still.acc_mean_g, a->still.still_s, dt);
    /* taken up between holds, not in one (a hold's level stays where it was measured),
     * and slowly (ACC_OFFSET_SLEW_G_S): the resting measure glides, it does not step */
    if (a->aofs.pairs > 0 && !a->det.active) {
        ct_vec3 d = v3_sub(a->aofs.bias_g, a->acc_bias_g);
        float dn = v3_norm(d), most = ACC_OFFSET_SLEW_G_S * dt;
        a->acc_bias_g = dn > most ? v3_add(a->acc_bias_g, v3_scale(d, most / dn)) : a->aofs.bias_g;
        a->acc_bias_known = true;
    }

    /* the last step: a heel strike, or the shank swung faster than any strap is turned
     * at rest (a tug turning the pod that fast is no step) */
    float an = acc_n - 1.0f;
    if (!a->strap_turning &&
        (an > HOLD_MAX_G || an < -HOLD_MAX_G || v3_norm2(gc) > HOLD_MAX_DPS * HOLD_MAX_DPS))
        a->t_step_us = t_us;
    /* A still spell cut short makes the first reference only when the data began with it
     * (first_ref_s: the stand a recording or an exercise starts with); a pause after the
     * pod has moved (walking to the spot, stepping between holds) is no standing stance
     * told, and waits for a full one. */
    if (!a->align.ref_valid && a->still.moving_s > FIRST_REF_MOVED_S)
        a->align.cfg.first_ref_s = INFINITY;
    if (!a->orient.aligned) {
        if (a->still.still_s > 0.2f) {
            orient_reset(&a->orient, a->still.acc_mean_g);
            a->g_norm_rest = v3_norm(a->still.acc_mean_g);
            if (a->rx.exercise == EX_BAND_STRETCH) /* (where the offset is learnt) */
                a->g_norm_rest_c = v3_norm(v3_sub(a->still.acc_mean_g, a->acc_bias_g));
        }
        return n;
    }
    orient_update_acc(&a->orient, &gc, &oa, still, dt);
    if (still) {
        a->g_norm_rest += (acc_n - a->g_norm_rest) * (dt / (0.5f + dt));
        if (a->rx.exercise == EX_BAND_STRETCH)
            a->g_norm_rest_c += (v3_norm(v3_sub(acc, a->acc_bias_g)) - a->g_norm_rest_c) *
                                (dt / (0.5f + dt));
    }
    ct_vec3 up = a->orient.up;

    bool was_ref = a->align.ref_valid;
    ct_align_stage was_stage = a->align.stage;
    /* a strap turn is carried by the references (from the first reference on) and is
     * no calibration gesture */
    if (a->placement_told && a->align.ref_valid)
        follow_strap(a, gc, acc, acc_n, still, dt);
    if (a->strap_turning) {
        a->t_strap_us = t_us;
        a->strap_seen = true;
    }
    if ((!a->placement_told || a->align.stage != ALIGN_DONE) && !a->strap_turning)
        align_update(&a->align, up, acc, gc, a->still.still_s, dt);
    if (!was_ref && a->align.ref_valid && !a->placement_told) {
        if (wait_standing(a)) {
            if (a->still.still_s >= SHIN_WAIT_STILL_S && !a->wrong_told && n < max_out) {
                a->wrong_told = true;
                a->placement = PLACE_FOOT;
                fill(a, &out[n], EV_WRONG_PLACEMENT);
                n++;
            }
            align_restart(&a->align, 0.0f);
        } else
            n += decide_placement(a, out + n, max_out - n);
    }
    if (!a->align.ref_valid)
        return n;
    /* The first standing reference was read in a still stand (0.4-0.8 s of the
     * accelerometer): the person stood on the floor then, and the vertical force read
     * there is the height's reference too if they move before the height module (which
     * starts only now) has seen half a second steady of its own: a person who stood a
     * second and went straight into the raises gave none before the first rep, the
     * reference was taken mid-rep and the first rep or two were lost. */
    if (!was_ref && needs_height(a) && a->rx.exercise == EX_CALF_RAISE &&
        a->align.ref_time_s > 0.0f) {
        ct_vec3 m = v3_scale(a->align.ref_sum, 1.0f / a->align.ref_time_s);
        height_stand_ref(&a->height, &m, &up);
    }
    if (a->placement == PLACE_FOOT && is_raise(a->rx.exercise) && a->set > 0 &&
        a->align.stage == ALIGN_AXIS)
        foot_axis_from_dorsum(a);
    else if (a->placement == PLACE_FOOT && a->align.stage == ALIGN_DONE && was_stage != ALIGN_DONE)
        foot_forward(a);
    a->angle_deg = align_angle_deg(&a->align, up);

    if (!placement_ok(a->rx.exercise, a->placement)) {
        a->value = measure(a, &up);
        return n;
    }
    ct_excursion x;
    if (needs_height(a)) {
        /* The heel rise is known once each rep or hold is back on the floor: each is
         * integrated from the floor to the floor (height.h, held.h). */
        if (a->rx.exercise == EX_ISOMETRIC_RAISE) {
            /* a hold on the toes is told once back on the floor, whole (see held.h) */
            ct_held_hold hh;
            /* No hold when the pod turned about the leg's long axis meanwhile (as a strap
             * turn is told: at 5 deg/s and more, the body quiet): the strap adjusted (bent
             * down to it, the shank leaning, the pod tugged round) or the foot lifted and
             * set down turned; rising onto the toes leans the shank, it does not turn it
             * about itself. (An attempt turned back counts from a shorter time, as in
             * detect.c.) */
            a->held.acc_psd = still_acc_psd(&a->still);
            if (held_update(&a->held, &acc, &up, &gc, still, t_us, dt, &hh) && a->set > 0 &&
                !strap_turned_in(a, hh.t_start_us, INT64_MAX) &&
                hh.peak_cm >= a->det.cfg.engage &&
                (float)(hh.t_end_us - hh.t_start_us) * 1e-6f >=
                    (hh.turned ? ATTEMPT_MIN_S : a->det.cfg.min_s)) {
                float tg = target_in_unit(a);
                x = (ct_excursion){.t_start_us = hh.t_start_us, .t_peak_us = hh.t_peak_us,
                                   .t_end_us = hh.t_end_us, .base = 0.0f, .top = hh.peak_cm,
                                   .peak = hh.peak_cm,
                                   .above_s = tg > 0.0f && hh.peak_cm >= tg ? hh.top_s : 0.0f,
                                   .up_s = hh.up_s, .top_s = hh.top_s, .down_s = hh.down_s,
                                   .turned = hh.turned};
                n = excursion_out(a, &x, out, n, max_out);
            }
            a->value = a->held.live_cm;
            return n;
        }
        ct_height_segment seg;
        height_sway_update(&a->height, v3_dot(acc, up), &up, still,
                           a->align.stage == ALIGN_DONE, a->gofs.known && !a->strap_turning, dt);
        ct_vec3 acc_earth = q_rotate(a->orient.q, acc);
        planted_update(&a->planted, &acc_earth, v3_dot(gc, up), t_us, dt);
        a->height.acc_psd = still_acc_psd(&a->still);
        bool ended = height_update(&a->height, &acc, &up, &gc, t_us, dt, &seg);
        if (ended)
            n = rep_out(a, out, n, max_out);
        a->value = a->height.live_cm;
        return n;
    }
    a->value = measure(a, &up);
    if (a->rx.exercise == EX_BAND_STRETCH && !a->band_abs && a->still.still_s > LIVE_STILL_S &&
        !a->det.active && up.z < SEATED_MAX_UP_COS) {
        /* the foot rests seated: a standing reference that reads it far from gravity's
         * reading was none (BAND_REF_AGREE_DEG); the rest is learnt anew */
        float g = band_abs_deg(up), d = a->value - g;
        if (d > BAND_REF_AGREE_DEG || d < -BAND_REF_AGREE_DEG) {
            a->band_abs = true;
            a->value = g;
            a->det.rest_valid = false;
        }
    }
    bool foot_axis = a->placement == PLACE_FOOT && a->align.stage == ALIGN_DONE;
    if (foot_axis && a->strap_turning)
        memset(a->axis_s, 0, sizeof a->axis_s); /* the pod moved on the foot */
    else if (foot_axis && a->det.active && a->set > 0)
        axis_learn(a, gc, dt);
    /* A step: an impact (heel strike), or for a hold a turn faster than any stretch. A
     * quick heel raise turns the foot that fast too, but lands softly. */
    bool impact = an > HOLD_MAX_G || an < -HOLD_MAX_G;
    /* On the foot a quick heel raise jolts the pod too: the heels dropped fast land on
     * the floor, and a quick push-off swings the dorsum round the ball of the foot. The
     * forefoot stays on the floor then (the foot at or above flat); a walking step's
     * heel strike comes with the toes up, which the pending raise is dropped for. */
    if (impact && a->placement == PLACE_FOOT && a->rx.exercise == EX_CALF_RAISE &&
        a->value > -FOOT_FLAT_TOL_DEG)
        impact = false;
    if (impact || (a->rx.exercise != EX_CALF_RAISE && v3_norm2(gc) > HOLD_MAX_DPS * HOLD_MAX_DPS))
        a->t_fast_us = t_us;
    if (t_us - a->t_fast_us < FAST_AFTER_US) {
        /* (a hold held back at a dip, still pressed: told, the step ended it) */
        if ((a->det.held_valid || a->det.pose_pend_valid) && a->set > 0) {
            if (detect_flush(&a->det, t_us, &x))
                n = excursion_out(a, &x, out, n, max_out);
            detect_reset(&a->det);
            a->det.rest_valid = false;
        }
        /* a step ends a hold held a good while (stepping out of the lunge, getting up):
         * it is told; anything shorter was no hold */
        float held = a->det.active ? (float)(t_us - a->det.t_start_us) * 1e-6f : 0.0f;
        if (a->det.active && a->set > 0 && a->rx.exercise != EX_CALF_RAISE &&
            held >= STEP_ENDS_HOLD_FRAC * hold_expect_s(a)) {
            if (detect_flush(&a->det, t_us, &x))
                n = excursion_out(a, &x, out, n, max_out);
            /* the level it rested at before the hold is no start position any more
             * (kept, the hold would start again from it on the next sample and be
             * told once a sample for the rest of the step): a new one once still */
            detect_reset(&a->det);
            a->det.rest_valid = false;
        } else if (a->det.active) {
            /* one already back down where it began before the step was over: an
             * attempt given up, then stepping out of the lunge or getting up */
            if (a->set > 0 && a->rx.exercise != EX_CALF_RAISE && detect_flush_back(&a->det, &x))
                n = excursion_out(a, &x, out, n, max_out);
            detect_reset(&a->det);
        }
        a->pend_valid = false; /* the raise waiting to be told was a step */
        a->low_first_valid = false;
        /* an attempt given up is made from the stance the hold is then held in: a
         * step since (into the lunge, sitting down for the band) changed the stance,
         * and what came before it was getting there, no attempt at this hold */
        a->n_attempts = 0;
    }
    /* On the foot an excursion begun with the toes lifted that comes to rest flat was
     * the toes coming down, nothing raised: the foot rests flat again (else the raises
     * that follow would be taken for one long movement from the toes-up level) */
    if (a->placement == PLACE_FOOT && is_raise(a->rx.exercise) && a->det.active && still &&
        a->det.base < -FOOT_FLAT_TOL_DEG && a->value < FOOT_FLAT_TOL_DEG &&
        a->value > -FOOT_FLAT_TOL_DEG) {
        detect_reset(&a->det);
        a->det.rest = a->det.low_min = a->value;
    }
    if (a->rx.exercise == EX_BAND_STRETCH) {
        /* Sitting down lifts the foot from flat on the floor to where it rests seated,
         * which is no stretch: once the foot keeps still seated after a movement begun
         * standing, the rest is learnt there anew (BAND_STANDING_DEG) */
        if (a->value >= BAND_STANDING_DEG && a->det.active && a->det.base < BAND_STANDING_DEG && a->det.quiet_s > 0.0f) {
            /* (any moment's pause there is where the seated foot rests: the pull on the
             * band has yet to come; the knee bent to loop it may follow at once) */
            if (!a->seat_rest_valid || a->value > a->seat_rest)
                a->seat_rest = a->value;
            a->seat_rest_valid = true;
            if (a->det.quiet_s >= LIVE_STILL_S) {
                detect_reset(&a->det);
                a->det.rest_valid = false;
            }
        }
    }
    /* (before any hold: come up from below where the foot was seen resting, no higher,
     * and keeping still back there, the foot is at rest again, whatever it does next:
     * BAND_STANDING_DEG. A hold that came down there is waiting to be told.) */
    if (a->det.active && band_back_to_rest(a, a->det.base, a->det.peak) &&
        a->value < a->seat_rest + a->det.cfg.engage && a->value > a->seat_rest - a->det.cfg.engage &&
        a->det.quiet_s >= LIVE_STILL_S) {
        detect_reset(&a->det);
        a->det.rest_valid = false;
    }
    /* (after the first hold the same against where the holds were pulled from: come up
     * from the foot pointed no higher than `engage` above it (band_relaxing) and keeping
     * still back there as long as the pause between holds (HOLD_GAP_S), the foot is at
     * rest; a fidget or a shift of the leg from there is no pull on the band from the
     * foot pointed, and what it does next starts there. A shorter pause is getting ready
     * to pull, the band looped: the hold is then told from its way up as before.) */
    if (a->det.active && band_relaxing(a, a->det.base, a->det.peak) &&
        fabsf(a->value - a->seated) < a->det.cfg.engage &&
        a->det.quiet_s >= HOLD_GAP_S) {
        detect_rest_at(&a->det, a->value, t_us);
    }
    bool det_ended = detect_update(&a->det, a->value, t_us, dt, still, true, a->set > 0, &x);
    if (det_ended) {
        n = excursion_out(a, &x, out, n, max_out);
        if (foot_axis)
            axis_refine(a);
    }
    /* where the seated foot rests (BAND_STANDING_DEG): the detector's rest, seated; none
     * standing (a movement begun seated is told first: it may end standing) */
    if (a->rx.exercise == EX_BAND_STRETCH && !a->det.active) {
        if (a->value < BAND_STANDING_DEG)
            a->seat_rest_valid = false;
        else if (a->det.rest_valid && a->det.rest >= BAND_STANDING_DEG && a->det.quiet_s > 0.0f &&
                 (!a->seat_rest_valid || a->det.rest > a->seat_rest)) {
            a->seat_rest = a->det.rest;
            a->seat_rest_valid = true;
        }
    }
    return pending_raise(a, out, n, max_out, false);
}

ct_live analysis_live(const ct_analysis *a)
{
    ct_live l = {0};
    l.placement = a->placement;
    l.value = a->value;
    l.unit = measure_unit(a);
    l.target = target_in_unit(a);
    l.angle_deg = a->angle_deg;
    l.height_cm = a->height.live_cm;
    l.set = a->set;
    l.count = a->count_in_set;
    l.t_us = a->t_us;
    if (!a->align.ref_valid)
        l.state = LIVE_WAITING_STILL;
    else if (a->align.stage != ALIGN_DONE && a->set == 0)
        l.state = LIVE_CALIBRATING;
    else if (a->set == 0)
        l.state = LIVE_RESTING;
    else if (needs_height(a) && a->rx.exercise == EX_CALF_RAISE) /* reps told floor to floor */
        l.state = !a->height.g_ref_valid                            ? LIVE_WAITING_STILL
                  : a->height.moving && a->still.still_s < LIVE_STILL_S ? LIVE_IN_REP
                                                                          : LIVE_READY;
    else if (needs_height(a) && a->rx.exercise == EX_ISOMETRIC_RAISE) {
        /* the hold is timed from where the movement began: known for sure only back on
         * the floor */
        l.state = !a->held.g_ref_valid ? LIVE_WAITING_STILL
                  : a->held.moving     ? LIVE_HOLDING
                                       : LIVE_READY;
        l.hold_elapsed_s = a->held.moving ? a->held.t : 0.0f;
    } else if (!a->det.rest_valid)
        l.state = LIVE_WAITING_STILL;
    else if (a->det.active && band_relaxing(a, a->det.base, a->value))
        l.state = LIVE_READY; /* the foot back at rest after pointing: no hold, no timer */
    else if (a->det.active && a->rx.exercise != EX_CALF_RAISE && a->still.still_s > 0.0f) {
        l.state = LIVE_HOLDING;
        l.hold_elapsed_s = (float)(a->t_us - a->det.t_start_us) * 1e-6f;
    } else if (a->det.active)
        l.state = LIVE_IN_REP;
    else
        l.state = LIVE_READY;
    return l;
}

// Timing helpers (models/common/timing.h): Resource (in-order), Pool, and
// Timeline, whose out-of-order reservations fill idle gaps. Expected start
// times computed by hand.
#define BOOST_TEST_MODULE timing
#include <boost/test/unit_test.hpp>

#include "models/common/timing.h"

using namespace iommusim;

BOOST_AUTO_TEST_CASE(timeline_in_order_is_a_queue) {
    Timeline t;
    BOOST_TEST(t.acquire(0, 10, 0) == 0u);    // [0,10)
    BOOST_TEST(t.acquire(5, 10, 0) == 10u);   // busy until 10: [10,20)
    BOOST_TEST(t.acquire(30, 10, 0) == 30u);  // idle: [30,40)
    BOOST_TEST(t.busy_ps() == 30u);
}

// A reservation far ahead (a decoupled initiator running ahead) must not
// delay an earlier arrival that fits in the idle time before it.
BOOST_AUTO_TEST_CASE(timeline_backfills_idle_gaps) {
    Timeline t;
    BOOST_TEST(t.acquire(1000, 100, 0) == 1000u);  // [1000,1100)
    BOOST_TEST(t.acquire(100, 50, 0) == 100u);     // fits before: [100,150)
    BOOST_TEST(t.acquire(120, 50, 0) == 150u);     // after [100,150): [150,200)
    BOOST_TEST(t.acquire(960, 50, 0) == 1100u);    // [960,1010) would overlap [1000,1100)
    BOOST_TEST(t.acquire(200, 800, 0) == 200u);    // exactly fills [200,1000)
    BOOST_TEST(t.acquire(0, 100, 0) == 0u);        // [0,100) touches [100,...)
    // Everything from 0 to 1150 is now one busy interval.
    BOOST_TEST(t.intervals() == 1u);
    BOOST_TEST(t.acquire(10, 1, 0) == 1150u);
}

BOOST_AUTO_TEST_CASE(timeline_forgets_the_past) {
    Timeline t;
    for (ps_t i = 0; i < 100; ++i) t.acquire(i * 100, 10, 0);
    BOOST_TEST(t.intervals() == 100u);
    t.acquire(20000, 10, 5000);  // intervals ending at or before 5000 are dropped
    BOOST_TEST(t.intervals() == 51u);  // [5000,5010) .. [9900,9910) and [20000,20010)
}

BOOST_AUTO_TEST_CASE(resource_is_strictly_in_order) {
    Resource r;
    BOOST_TEST(r.acquire(1000, 100) == 1000u);
    BOOST_TEST(r.acquire(100, 50) == 1100u);  // no backfill: queued behind the later reservation
}

BOOST_AUTO_TEST_CASE(pool_picks_the_earliest_free_member) {
    Pool p(2);
    BOOST_TEST(p.acquire(0, 100) == 0u);   // member 0 until 100
    BOOST_TEST(p.acquire(0, 50) == 0u);    // member 1 until 50
    BOOST_TEST(p.acquire(10, 10) == 50u);  // both busy: member 1 frees first
    BOOST_TEST(p.waits() == 1u);
    BOOST_TEST(p.busy_ps() == 160u);
}

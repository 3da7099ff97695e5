#define BOOST_TEST_MODULE sparse_memory
#include <boost/test/unit_test.hpp>

// SparseMemory (sparse 4 KiB-page backing store), PhysAllocator (bump
// allocator) and the timing helpers Resource / Pool / Clock. Every expected
// value is derived by hand from the header comments; the arithmetic is in the
// comments next to the checks.

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/common/phys_alloc.h"
#include "models/common/sparse_memory.h"
#include "models/common/timing.h"

using namespace iommusim;

// ---------------------------------------------------------------- SparseMemory

BOOST_AUTO_TEST_CASE(page_geometry) {
    BOOST_TEST(SparseMemory::page_shift == 12u);
    BOOST_TEST(SparseMemory::page_size == 4096u);
}

BOOST_AUTO_TEST_CASE(untouched_memory_reads_as_zero_and_allocates_nothing) {
    SparseMemory m;
    std::vector<uint8_t> buf(3 * 4096 + 17, 0xAA);  // pre-filled so zeros must come from read()
    m.read(0x1234'5678, buf.data(), buf.size());     // spans four pages, none touched
    for (uint8_t b : buf) BOOST_TEST_REQUIRE(b == 0u);
    BOOST_TEST(m.read64(0) == 0u);
    BOOST_TEST(m.read64(0xFFFF'FFFF'FFF8) == 0u);
    // Reads never allocate: pages are allocated on first write only.
    BOOST_TEST(m.pages_touched() == 0u);
    BOOST_TEST(m.bytes_allocated() == 0u);
}

BOOST_AUTO_TEST_CASE(write_across_page_boundary_lands_in_both_pages) {
    SparseMemory m;
    // 16 bytes at 0x1FF8: 0x1FF8..0x1FFF (8 bytes, page 0x1000) and
    // 0x2000..0x2007 (8 bytes, page 0x2000). Byte i has value 0x11 * (i + 1)
    // for i < 15 and 0xFF at i = 15 (non-zero everywhere).
    uint8_t src[16];
    for (int i = 0; i < 16; ++i) src[i] = static_cast<uint8_t>(i == 15 ? 0xFF : 0x11 * (i + 1));
    m.write(0x1FF8, src, sizeof src);
    BOOST_TEST(m.pages_touched() == 2u);
    BOOST_TEST(m.bytes_allocated() == 2u * 4096u);

    const uint8_t* lo = m.page(0x1000, false);
    const uint8_t* hi = m.page(0x2000, false);
    BOOST_TEST_REQUIRE(lo != nullptr);
    BOOST_TEST_REQUIRE(hi != nullptr);
    for (int i = 0; i < 8; ++i) BOOST_TEST(lo[0xFF8 + i] == src[i]);  // page offsets 0xFF8..0xFFF
    for (int i = 0; i < 8; ++i) BOOST_TEST(hi[i] == src[8 + i]);      // page offsets 0x000..0x007
    // Neighbours are untouched (pages are allocated zeroed).
    BOOST_TEST(lo[0xFF7] == 0u);
    BOOST_TEST(hi[8] == 0u);
    BOOST_TEST(lo[0] == 0u);
    BOOST_TEST(hi[0xFFF] == 0u);

    // Read back across the boundary, with one extra byte either side.
    uint8_t back[18];
    m.read(0x1FF7, back, sizeof back);
    BOOST_TEST(back[0] == 0u);
    for (int i = 0; i < 16; ++i) BOOST_TEST(back[1 + i] == src[i]);
    BOOST_TEST(back[17] == 0u);

    // read64 across the boundary: bytes 0x1FFC..0x2003 = src[4..11], little endian.
    uint64_t want = 0;
    for (int i = 7; i >= 0; --i) want = (want << 8) | src[4 + i];
    BOOST_TEST(m.read64(0x1FFC) == want);
}

BOOST_AUTO_TEST_CASE(fill_sets_exactly_the_range) {
    SparseMemory m;
    // 0x20 bytes from 0x3FF0: 0x3FF0..0x400F, across the 0x4000 boundary.
    m.fill(0x3FF0, 0x5A, 0x20);
    BOOST_TEST(m.pages_touched() == 2u);
    uint8_t b[0x22];
    m.read(0x3FEF, b, sizeof b);
    BOOST_TEST(b[0] == 0u);
    for (int i = 1; i <= 0x20; ++i) BOOST_TEST(b[i] == 0x5Au);
    BOOST_TEST(b[0x21] == 0u);

    // A fill longer than a page: 3 * 4096 bytes from 0x10800 cover
    // 0x10800..0x137FF, i.e. pages 0x10000, 0x11000, 0x12000, 0x13000.
    m.fill(0x10800, 0xC3, 3 * 4096);
    BOOST_TEST(m.pages_touched() == 2u + 4u);
    BOOST_TEST(m.page(0x10000, false)[0x7FF] == 0u);
    BOOST_TEST(m.page(0x10000, false)[0x800] == 0xC3u);
    BOOST_TEST(m.page(0x11000, false)[0] == 0xC3u);
    BOOST_TEST(m.page(0x12000, false)[0xFFF] == 0xC3u);
    BOOST_TEST(m.page(0x13000, false)[0x7FF] == 0xC3u);
    BOOST_TEST(m.page(0x13000, false)[0x800] == 0u);

    // fill with 0 over written data clears it (and keeps the page).
    m.fill(0x3FF8, 0, 8);
    BOOST_TEST(m.read64(0x3FF8) == 0u);
    BOOST_TEST(m.read64(0x3FF0) == 0x5A5A5A5A5A5A5A5Aull);
    BOOST_TEST(m.pages_touched() == 6u);
}

BOOST_AUTO_TEST_CASE(wide_address_space_costs_only_touched_pages) {
    SparseMemory m;
    // Four writes spread over a 48-bit space: three single-page writes and
    // one straddling 2^47 (two pages) -> 5 pages, 5 * 4096 bytes.
    m.write64(0, 1);
    m.write64((uint64_t{1} << 40) + 0x10, 2);
    m.write64((uint64_t{1} << 48) - 8, 3);
    m.write64((uint64_t{1} << 47) - 4, 4);
    BOOST_TEST(m.pages_touched() == 5u);
    BOOST_TEST(m.bytes_allocated() == 5u * 4096u);
    // Re-writing touched pages allocates nothing more.
    m.write64(8, 5);
    m.write64((uint64_t{1} << 48) - 16, 6);
    BOOST_TEST(m.pages_touched() == 5u);
    BOOST_TEST(m.read64(0) == 1u);
    BOOST_TEST(m.read64((uint64_t{1} << 40) + 0x10) == 2u);
    BOOST_TEST(m.read64((uint64_t{1} << 48) - 8) == 3u);
    BOOST_TEST(m.read64((uint64_t{1} << 47) - 4) == 4u);
    BOOST_TEST(m.read64(8) == 5u);
    BOOST_TEST(m.read64((uint64_t{1} << 48) - 16) == 6u);
}

BOOST_AUTO_TEST_CASE(page_without_allocate_returns_null_for_untouched) {
    SparseMemory m;
    BOOST_TEST(m.page(0x5000, false) == nullptr);
    BOOST_TEST(m.pages_touched() == 0u);  // asking did not allocate

    m.write64(0x5008, 0x0102030405060708ull);
    uint8_t* p = m.page(0x5000, false);
    BOOST_TEST_REQUIRE(p != nullptr);
    BOOST_TEST(m.page(0x5FFF, false) == p);  // same page, same pointer
    BOOST_TEST(p[8] == 0x08u);               // little-endian low byte at 0x5008
    BOOST_TEST(p[15] == 0x01u);

    // The neighbouring pages are still untouched, even right after the
    // touched page was looked up (one-entry lookup cache).
    BOOST_TEST(m.page(0x4FFF, false) == nullptr);
    BOOST_TEST(m.page(0x6000, false) == nullptr);
    BOOST_TEST(m.page(0x5000, false) == p);

    // The const overload agrees.
    const SparseMemory& c = m;
    BOOST_TEST(c.page(0x5000) == p);
    BOOST_TEST(c.page(0x6000) == nullptr);

    // allocate = true on an untouched page returns a zeroed page.
    uint8_t* q = m.page(0x7000, true);
    BOOST_TEST_REQUIRE(q != nullptr);
    BOOST_TEST(m.pages_touched() == 2u);
    bool all_zero = true;
    for (uint64_t i = 0; i < SparseMemory::page_size; ++i) all_zero = all_zero && q[i] == 0;
    BOOST_TEST(all_zero);
    // Writing through the page pointer is seen by read().
    q[0x10] = 0xEE;
    uint8_t v = 0;
    m.read(0x7010, &v, 1);
    BOOST_TEST(v == 0xEEu);
}

BOOST_AUTO_TEST_CASE(read64_write64_at_top_of_52_bit_space) {
    SparseMemory m;
    const uint64_t top = (uint64_t{1} << 52) - 8;  // 0xF'FFFF'FFFF'FFF8, last 8 bytes
    const uint64_t v = 0xDEADBEEFCAFEF00Dull;
    m.write64(top, v);
    BOOST_TEST(m.read64(top) == v);
    BOOST_TEST(m.pages_touched() == 1u);
    BOOST_TEST(m.read64(top - 8) == 0u);  // the 8 bytes below are untouched
    // Page frame 2^40 - 1 must not alias page frame 0 (or any other).
    BOOST_TEST(m.read64(0) == 0u);
    BOOST_TEST(m.page(0xFF8, false) == nullptr);
    m.write64(0xFF8, 1);
    BOOST_TEST(m.read64(top) == v);
    BOOST_TEST(m.read64(0xFF8) == 1u);
    BOOST_TEST(m.pages_touched() == 2u);
}

// ---------------------------------------------------------------- PhysAllocator

BOOST_AUTO_TEST_CASE(phys_alloc_alignment) {
    PhysAllocator a(0x1000'0000, 0x10000);
    BOOST_TEST(a.base() == 0x1000'0000u);
    BOOST_TEST(a.end() == 0x1001'0000u);
    BOOST_TEST(a.used() == 0u);
    // next = base, already 8-aligned.
    BOOST_TEST(a.alloc(0x10, 8) == 0x1000'0000u);
    BOOST_TEST(a.used() == 0x10u);
    // next = 0x1000'0010 -> round up to 4 KiB: 0x1000'1000.
    BOOST_TEST(a.alloc(0x1000, 0x1000) == 0x1000'1000u);
    BOOST_TEST(a.used() == 0x2000u);
    // next = 0x1000'2000, alignment 1: no padding.
    BOOST_TEST(a.alloc(8, 1) == 0x1000'2000u);
    // next = 0x1000'2008 -> round up to 0x100: 0x1000'2100.
    BOOST_TEST(a.alloc(0x100, 0x100) == 0x1000'2100u);
    BOOST_TEST(a.used() == 0x2200u);
    // next = 0x1000'2200 -> round up to 64 KiB: 0x1001'0000 = end; 0 bytes fit.
    BOOST_TEST(a.alloc(0, 0x10000) == 0x1001'0000u);
    BOOST_TEST(a.used() == 0x10000u);
}

BOOST_AUTO_TEST_CASE(phys_alloc_exhaustion_throws) {
    // [0x1000, 0x3000): two 4 KiB pages fit exactly, then nothing.
    PhysAllocator a(0x1000, 0x2000);
    BOOST_TEST(a.alloc(0x1000, 0x1000) == 0x1000u);
    BOOST_TEST(a.alloc(0x1000, 0x1000) == 0x2000u);
    BOOST_CHECK_THROW(a.alloc(1, 1), std::runtime_error);
    BOOST_TEST(a.used() == 0x2000u);

    // [0x1000, 0x4000): after 1 byte, next = 0x1001; an 0x2000-aligned
    // request starts at 0x2000 and 0x2000 bytes end exactly at 0x4000 (fits);
    // a 0x4000-aligned request would start at 0x4000 = end (does not fit).
    PhysAllocator b(0x1000, 0x3000);
    BOOST_TEST(b.alloc(1, 1) == 0x1000u);
    BOOST_CHECK_THROW(b.alloc(0x1000, 0x4000), std::runtime_error);
    BOOST_TEST(b.used() == 1u);  // the failed request changed nothing
    BOOST_CHECK_THROW(b.alloc(0x2001, 0x2000), std::runtime_error);  // one byte too many
    BOOST_TEST(b.alloc(0x2000, 0x2000) == 0x2000u);
    BOOST_TEST(b.used() == 0x3000u);

    // Rounding up past 2^64 wraps: base 2^63 + 1 aligned to 2^63 is 2^64.
    PhysAllocator c((uint64_t{1} << 63) + 1, uint64_t{1} << 62);
    BOOST_CHECK_THROW(c.alloc(1, uint64_t{1} << 63), std::runtime_error);
    BOOST_TEST(c.used() == 0u);
}

BOOST_AUTO_TEST_CASE(phys_alloc_non_power_of_two_alignment_throws) {
    PhysAllocator a(0x1000, 0x10000);
    BOOST_CHECK_THROW(a.alloc(8, 0), std::invalid_argument);
    BOOST_CHECK_THROW(a.alloc(8, 3), std::invalid_argument);
    BOOST_CHECK_THROW(a.alloc(8, 6), std::invalid_argument);
    BOOST_CHECK_THROW(a.alloc(8, 0x1800), std::invalid_argument);
    BOOST_CHECK_THROW(a.alloc(8, ~uint64_t{0}), std::invalid_argument);
    BOOST_TEST(a.used() == 0u);
    BOOST_TEST(a.alloc(8, uint64_t{1} << 12) == 0x1000u);  // 4096 is fine
}

// ---------------------------------------------------------------- timing

BOOST_AUTO_TEST_CASE(resource_busy_until) {
    Resource r;
    BOOST_TEST(r.free_at() == 0u);
    BOOST_TEST(r.acquire(100, 50) == 100u);  // idle: starts on arrival, busy until 150
    BOOST_TEST(r.free_at() == 150u);
    BOOST_TEST(r.acquire(120, 10) == 150u);  // arrives while busy: waits to 150, busy until 160
    BOOST_TEST(r.free_at() == 160u);
    BOOST_TEST(r.acquire(160, 5) == 160u);   // arrives exactly when free
    BOOST_TEST(r.free_at() == 165u);
    BOOST_TEST(r.acquire(200, 5) == 200u);   // idle gap 165..200
    BOOST_TEST(r.free_at() == 205u);
    BOOST_TEST(r.acquire(0, 0) == 205u);     // zero hold still queues behind
    BOOST_TEST(r.free_at() == 205u);
    BOOST_TEST(r.busy_ps() == 50u + 10u + 5u + 5u + 0u);
}

BOOST_AUTO_TEST_CASE(pool_takes_member_that_frees_first) {
    Pool p(2);
    BOOST_TEST(p.size() == 2u);
    BOOST_TEST(p.acquire(0, 100) == 0u);   // member 0 busy until 100
    BOOST_TEST(p.acquire(0, 100) == 0u);   // member 1 (free at 0) busy until 100
    BOOST_TEST(p.waits() == 0u);
    BOOST_TEST(p.acquire(10, 50) == 100u); // both free at 100: waits, member 0 -> 150
    BOOST_TEST(p.waits() == 1u);
    BOOST_TEST(p.acquire(10, 50) == 100u); // member 1 free at 100 -> 150
    BOOST_TEST(p.waits() == 2u);
    BOOST_TEST(p.acquire(150, 10) == 150u); // arrives exactly when free: no wait
    BOOST_TEST(p.acquire(200, 10) == 200u); // idle: no wait
    BOOST_TEST(p.waits() == 2u);
    BOOST_TEST(p.busy_ps() == 100u + 100u + 50u + 50u + 10u + 10u);

    // Members free at different times: 300, 100, 200.
    Pool q(3);
    BOOST_TEST(q.acquire(0, 300) == 0u);
    BOOST_TEST(q.acquire(0, 100) == 0u);
    BOOST_TEST(q.acquire(0, 200) == 0u);
    BOOST_TEST(q.acquire(0, 10) == 100u);  // earliest is the member free at 100 -> 110
    BOOST_TEST(q.acquire(0, 10) == 110u);  // frees now 300, 110, 200 -> 110 again -> 120
    BOOST_TEST(q.acquire(0, 500) == 120u); // 300, 120, 200 -> 120 -> 620
    BOOST_TEST(q.acquire(0, 1) == 200u);   // 300, 620, 200 -> 200
    BOOST_TEST(q.waits() == 4u);
}

BOOST_AUTO_TEST_CASE(pool_reserve_release) {
    Pool p;  // default: one member
    BOOST_TEST(p.size() == 1u);
    ps_t start = 12345;
    BOOST_TEST(p.reserve(0, start) == 0u);
    BOOST_TEST(start == 0u);
    BOOST_TEST(p.waits() == 0u);
    p.release(0, 0, 70);  // duration known only now: busy until 70
    BOOST_TEST(p.reserve(30, start) == 0u);
    BOOST_TEST(start == 70u);  // 30 < 70: waited
    BOOST_TEST(p.waits() == 1u);
    p.release(0, 70, 100);
    BOOST_TEST(p.busy_ps() == 70u + 30u);
    BOOST_TEST(p.acquire(90, 1) == 100u);
    BOOST_TEST(p.waits() == 2u);

    Pool z(0);  // at least one member
    BOOST_TEST(z.size() == 1u);
    BOOST_TEST(z.acquire(5, 5) == 5u);
    BOOST_TEST(z.acquire(5, 5) == 10u);
}

BOOST_AUTO_TEST_CASE(clock_cycles) {
    Clock c;                          // 1 GHz: 1000 ps per cycle
    BOOST_TEST(c.cycles(0) == 0u);
    BOOST_TEST(c.cycles(3) == 3000u);
    Clock slow{2500};                 // 400 MHz
    BOOST_TEST(slow.cycles(4) == 10000u);
}

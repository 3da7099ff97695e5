// Address patterns (traffic/pattern): each stream against its definition in
// address_pattern.h / docs/traffic.md, with expected addresses written out
// by hand; every access in the window; seeds; distributions (deterministic
// seeds, so the statistical checks cannot flake); every invalid parameter.
// The SplitMix64 and random/hotcold reference values were computed with an
// independent Python implementation of the documented algorithms.
#define BOOST_TEST_MODULE address_patterns
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "traffic/pattern/address_pattern.h"
#include "traffic/pattern/permutation.h"
#include "traffic/pattern/rng.h"
#include "traffic/pattern/zipf_sampler.h"

// Counts every allocation through operator new, so the test can show that
// the zipf pattern needs no table however many slots the window has.
namespace {
std::atomic<uint64_t> g_new_calls{0};
std::atomic<uint64_t> g_new_bytes{0};
}  // namespace

// (Not inlined, so GCC does not pair a free() with an inlined operator new
// and warn -Wmismatched-new-delete.)
__attribute__((noinline)) void* operator new(std::size_t n) {
    ++g_new_calls;
    g_new_bytes += n;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace iommusim::traffic;

namespace {

PatternParams params(const std::string& kind, uint64_t base, uint64_t window, uint32_t size) {
    PatternParams p;
    p.kind = kind;
    p.base = base;
    p.window = window;
    p.size = size;
    return p;
}

std::vector<uint64_t> draw(const PatternParams& p, size_t n) {
    auto pat = make_pattern(p);
    std::vector<uint64_t> v;
    v.reserve(n);
    for (size_t i = 0; i < n; ++i) v.push_back(pat->next());
    return v;
}

// Every access [a, a + size) inside [base, base + window); aligned to size
// (from base) when `aligned`.
void check_inside(const PatternParams& p, const std::vector<uint64_t>& v, bool aligned) {
    size_t outside = 0, misaligned = 0;
    for (uint64_t a : v) {
        if (a < p.base || a - p.base > p.window - p.size) ++outside;
        if (aligned && (a - p.base) % p.size != 0) ++misaligned;
    }
    BOOST_TEST(outside == 0u);
    BOOST_TEST(misaligned == 0u);
}

// make_pattern(p) throws std::invalid_argument whose message starts with
// "<name>: ".
void check_rejected(const PatternParams& p, const std::string& name) {
    BOOST_TEST_CONTEXT("kind " << p.kind << ", expected parameter " << name) {
        try {
            make_pattern(p);
            BOOST_ERROR("accepted");
        } catch (const std::invalid_argument& e) {
            const std::string msg = e.what();
            BOOST_TEST(msg.rfind(name + ": ", 0) == 0, "message: " << msg);
            BOOST_TEST(msg.size() > name.size() + 2);
        }
    }
}

double harmonic(uint64_t n, double alpha) {
    double h = 0;
    for (uint64_t k = n; k >= 1; --k) h += std::pow(double(k), -alpha);  // small terms first
    return h;
}

}  // namespace

// ---------------------------------------------------------------- generator

BOOST_AUTO_TEST_CASE(splitmix64_reference_values) {
    // Reference outputs of Vigna's splitmix64.c.
    SplitMix64 g(1234567);
    const std::vector<uint64_t> want = {6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                                        4593380528125082431ull, 16408922859458223821ull};
    for (uint64_t w : want) BOOST_TEST(g.next() == w);
    SplitMix64 z(0);
    BOOST_TEST(z.next() == 0xe220a8397b1dcdafull);
    BOOST_TEST(z.next() == 0x6e789e6aa1b965f4ull);
}

BOOST_AUTO_TEST_CASE(below_is_lemire_and_in_range) {
    SplitMix64 g(42);
    const std::vector<uint64_t> want3 = {2, 0, 0, 1, 0, 2, 0, 2, 1, 1};
    for (uint64_t w : want3) BOOST_TEST(g.below(3) == w);
    SplitMix64 b(5);
    const uint64_t big = (uint64_t(1) << 63) + 1;
    const std::vector<uint64_t> want_big = {6938807493011938172ull, 2146363211429306531ull, 916244348587400354ull,
                                            1733626130553941730ull};
    for (uint64_t w : want_big) BOOST_TEST(b.below(big) == w);
    SplitMix64 r(9);
    for (int i = 0; i < 10000; ++i) {
        const uint64_t n = uint64_t(i % 97) + 1;
        if (r.below(n) >= n) BOOST_FAIL("below(" << n << ") out of range");
    }
    SplitMix64 u(3);
    for (int i = 0; i < 10000; ++i) {
        const double x = u.unit();
        if (!(x >= 0 && x < 1)) BOOST_FAIL("unit() = " << x);
    }
}

// --------------------------------------------------------------- sequential

BOOST_AUTO_TEST_CASE(sequential_defaults_sweep_the_window) {
    PatternParams p = params("sequential", 0x1000, 256, 64);
    const std::vector<uint64_t> want = {0x1000, 0x1040, 0x1080, 0x10c0, 0x1000, 0x1040, 0x1080, 0x10c0, 0x1000};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequential_start_stride_length_wrap) {
    // start 64, stride 128, length 320: n = (320 - 64) / 128 + 1 = 3 accesses
    // at offsets 64, 192, 320 (the last ends at 384 = start + length).
    PatternParams p = params("sequential", 0x10000, 512, 64);
    p.start = 64;
    p.stride = 128;
    p.length = 320;
    const std::vector<uint64_t> want = {0x10040, 0x100c0, 0x10140, 0x10040, 0x100c0, 0x10140, 0x10040};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequential_length_rule_counts_accesses_that_fit) {
    // stride 1024, size 64: length 3136 fits 4 accesses (the 4th is
    // [3072, 3136)), length 3135 only 3.
    PatternParams p = params("sequential", 0, 4096, 64);
    p.stride = 1024;
    p.length = 3136;
    std::vector<uint64_t> want = {0, 1024, 2048, 3072, 0, 1024};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
    p.length = 3135;
    want = {0, 1024, 2048, 0, 1024, 2048};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
    // No length: to the window's end, 4096 - 64 = 4032 -> 4 accesses.
    p.length = 0;
    want = {0, 1024, 2048, 3072, 0};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
    // Window not a multiple of size: 200 bytes, size 64 -> 0, 64, 128.
    PatternParams q = params("sequential", 0x40, 200, 64);
    want = {0x40, 0x80, 0xc0, 0x40};
    BOOST_TEST(draw(q, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequential_overlapping_stride_stays_in_window) {
    // stride 32 < size 64: n = (256 - 64) / 32 + 1 = 7, last at 192.
    PatternParams p = params("sequential", 0, 256, 64);
    p.stride = 32;
    const std::vector<uint64_t> want = {0, 32, 64, 96, 128, 160, 192, 0, 32};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequential_stride_larger_than_length_repeats_start) {
    PatternParams p = params("sequential", 0x2000, 4096, 64);
    p.start = 128;
    p.stride = 8192;
    const std::vector<uint64_t> want = {0x2080, 0x2080, 0x2080};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sequential_at_the_top_of_the_address_space) {
    PatternParams p = params("sequential", ~uint64_t(0) - 255, 256, 64);  // window ends exactly at 2^64
    const std::vector<uint64_t> v = draw(p, 8);
    BOOST_TEST(v[3] == ~uint64_t(0) - 63);
    BOOST_TEST(v[4] == p.base);
    check_inside(p, v, true);
}

// ------------------------------------------------------------------ strided

BOOST_AUTO_TEST_CASE(strided_rows_cross_pages_and_wrap) {
    // 4 accesses 4096 apart per row, rows 64 bytes apart (row_step = size),
    // L = 16384.
    PatternParams p = params("strided", 0, 16384, 64);
    p.stride = 4096;
    p.count = 4;
    const std::vector<uint64_t> v = draw(p, 4 * 65);
    const std::vector<uint64_t> first = {0, 4096, 8192, 12288, 64, 4160, 8256, 12352, 128, 4224, 8320, 12416};
    BOOST_TEST(std::vector<uint64_t>(v.begin(), v.begin() + 12) == first, boost::test_tools::per_element());
    // Row 63 starts at 4032; row 64 at 4096 and its last access wraps to 0.
    const std::vector<uint64_t> row63 = {4032, 8128, 12224, 16320};
    const std::vector<uint64_t> row64 = {4096, 8192, 12288, 0};
    BOOST_TEST(std::vector<uint64_t>(v.begin() + 252, v.begin() + 256) == row63, boost::test_tools::per_element());
    BOOST_TEST(std::vector<uint64_t>(v.begin() + 256, v.begin() + 260) == row64, boost::test_tools::per_element());
    check_inside(p, v, true);
}

BOOST_AUTO_TEST_CASE(strided_unaligned_steps_use_the_gcd_rule) {
    // start 8, stride 300, count 3, row_step 100, size 64, window 1000:
    // g = gcd(300, 100, 64) = 4, L = ((1000 - 8 - 64) / 4 + 1) * 4 = 932.
    PatternParams p = params("strided", 0x5000, 1000, 64);
    p.start = 8;
    p.stride = 300;
    p.count = 3;
    p.row_step = 100;
    std::vector<uint64_t> want;
    for (uint64_t off : {0, 300, 600, 100, 400, 700, 200, 500, 800, 300, 600, 900, 400, 700, 68, 500, 800, 168})
        want.push_back(0x5000 + 8 + off);
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
    check_inside(p, draw(p, 100000), false);
}

BOOST_AUTO_TEST_CASE(strided_count_one_is_a_plain_stride) {
    PatternParams p = params("strided", 0, 8192, 64);
    p.count = 1;
    p.stride = 4096;  // ignored with count 1: each row is one access
    p.row_step = 4160;
    // offsets k * 4160 mod 8192: 0, 4160, 128, 4288, 256
    const std::vector<uint64_t> want = {0, 4160, 128, 4288, 256};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strided_huge_steps_do_not_overflow) {
    PatternParams p = params("strided", 0x1000, 1ull << 40, 4096);
    p.stride = 0xFFFFFFFFFFFFF000ull;
    p.row_step = 0x8000000000001000ull;
    p.count = 7;
    check_inside(p, draw(p, 10000), true);
}

// ------------------------------------------------------------------- random

BOOST_AUTO_TEST_CASE(random_reference_stream) {
    PatternParams p = params("random", 0x10000000, 1 << 20, 64);  // 16384 slots, seed 1
    const std::vector<uint64_t> want = {0x10091080, 0x100bee80, 0x100f8900, 0x10071c00,
                                        0x10071b80, 0x100c34c0, 0x100e0980, 0x10085e40};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(random_uniform_over_slots) {
    // 64 slots (the 40-byte tail of the window holds none), 64000 draws.
    PatternParams p = params("random", 0x4000, 64 * 64 + 40, 64);
    p.seed = 12345;
    const std::vector<uint64_t> v = draw(p, 64000);
    check_inside(p, v, true);
    std::vector<uint64_t> count(64, 0);
    for (uint64_t a : v) ++count[(a - p.base) / 64];
    double chi2 = 0;
    for (uint64_t c : count) chi2 += (double(c) - 1000.0) * (double(c) - 1000.0) / 1000.0;
    // 63 degrees of freedom: mean 63, sd 11.2; the bound is ~6 sd out.
    BOOST_TEST(chi2 < 130.0);
    for (uint64_t c : count) BOOST_TEST(c > 0u);
}

BOOST_AUTO_TEST_CASE(random_seeds) {
    PatternParams p = params("random", 0, 1 << 20, 64);
    p.seed = 99;
    const std::vector<uint64_t> a = draw(p, 1000), b = draw(p, 1000);
    BOOST_TEST(a == b, boost::test_tools::per_element());
    p.seed = 100;
    const std::vector<uint64_t> c = draw(p, 1000);
    size_t same = 0;
    for (size_t i = 0; i < a.size(); ++i) same += a[i] == c[i];
    BOOST_TEST(same < 10u);
    p.seed = 0;  // seed 0 is a valid seed
    const std::vector<uint64_t> z = draw(p, 1000);
    std::map<uint64_t, int> seen;
    for (uint64_t x : z) seen[x]++;
    BOOST_TEST(seen.size() > 900u);
}

// ------------------------------------------------------------------ hotcold

BOOST_AUTO_TEST_CASE(hotcold_reference_stream) {
    // 100 slots: hot = floor(0.1 * 100) = 10 slots [0, 640), cold 90.
    PatternParams p = params("hotcold", 0, 6400, 64);
    p.seed = 7;
    const std::vector<uint64_t> want = {0, 3968, 128, 192, 256, 576, 5632, 320, 192, 448, 64, 256};
    BOOST_TEST(draw(p, want.size()) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hotcold_shares) {
    PatternParams p = params("hotcold", 0x80000000, 1000 * 64, 64);  // hot = 100 slots
    p.hot_fraction = 0.1;
    p.hot_probability = 0.9;
    p.seed = 2024;
    const std::vector<uint64_t> v = draw(p, 100000);
    check_inside(p, v, true);
    const uint64_t hot_end = p.base + 100 * 64;
    size_t hot = 0;
    std::map<uint64_t, int> hot_slots, cold_slots;
    for (uint64_t a : v) {
        if (a < hot_end) {
            ++hot;
            hot_slots[a]++;
        } else {
            cold_slots[a]++;
        }
    }
    const double share = double(hot) / double(v.size());
    BOOST_TEST(std::fabs(share - 0.9) < 0.02, "hot share " << share);
    BOOST_TEST(hot_slots.size() == 100u);  // every hot slot is used...
    BOOST_TEST(cold_slots.size() == 900u);  // ...and every cold one

    p.hot_probability = 1.0;
    for (uint64_t a : draw(p, 10000))
        if (a >= hot_end) BOOST_FAIL("cold access with hot_probability 1");
    p.hot_probability = 0.0;
    for (uint64_t a : draw(p, 10000))
        if (a < hot_end) BOOST_FAIL("hot access with hot_probability 0");
}

BOOST_AUTO_TEST_CASE(hotcold_at_least_one_hot_slot) {
    // floor(0.001 * 10) = 0 -> one hot slot, at base.
    PatternParams p = params("hotcold", 0x1000, 640, 64);
    p.hot_fraction = 0.001;
    p.hot_probability = 1.0;
    for (uint64_t a : draw(p, 100)) BOOST_TEST(a == 0x1000u);
    p.hot_probability = 0.0;
    for (uint64_t a : draw(p, 1000))
        if (a < 0x1040 || a > 0x1000 + 9 * 64) BOOST_FAIL("cold access outside slots 1..9: " << a);
}

BOOST_AUTO_TEST_CASE(hotcold_seeds) {
    PatternParams p = params("hotcold", 0, 1 << 20, 64);
    BOOST_TEST(draw(p, 500) == draw(p, 500), boost::test_tools::per_element());
    PatternParams q = p;
    q.seed = 2;
    const std::vector<uint64_t> a = draw(p, 500), b = draw(q, 500);
    size_t same = 0;
    for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
    BOOST_TEST(same < 50u);
}

// --------------------------------------------------------------------- zipf

BOOST_AUTO_TEST_CASE(zipf_sampler_rank_frequencies) {
    for (double alpha : {1.0, 1.2, 0.5}) {
        BOOST_TEST_CONTEXT("alpha " << alpha) {
            const uint64_t n = 1000;
            ZipfSampler z(n, alpha);
            SplitMix64 g(77);
            const int draws = 400000;
            std::vector<uint64_t> count(n + 1, 0);
            for (int i = 0; i < draws; ++i) {
                const uint64_t r = z.sample(g);
                if (r < 1 || r > n) BOOST_FAIL("rank " << r << " out of [1, " << n << "]");
                ++count[r];
            }
            const double h = harmonic(n, alpha);
            for (uint64_t r = 1; r <= 5; ++r) {
                const double want = std::pow(double(r), -alpha) / h;
                const double got = double(count[r]) / draws;
                BOOST_TEST(std::fabs(got - want) / want < 0.05, "rank " << r << ": " << got << " vs " << want);
            }
            // Rank 1000 (the rarest) still occurs at about its probability.
            const double want_last = std::pow(1000.0, -alpha) / h;
            BOOST_TEST(double(count[n]) / draws < 3 * want_last + 1e-4);
        }
    }
}

BOOST_AUTO_TEST_CASE(zipf_pattern_maps_ranks_through_the_permutation) {
    const uint64_t n = 1000;
    PatternParams p = params("zipf", 0x20000000, n * 256, 256);
    p.alpha = 1.2;
    p.seed = 31;
    const std::vector<uint64_t> v = draw(p, 400000);
    check_inside(p, v, true);
    std::map<uint64_t, uint64_t> count;
    for (uint64_t a : v) count[(a - p.base) / 256]++;
    const SlotPermutation perm(n, p.seed);
    const double h = harmonic(n, 1.2);
    for (uint64_t r = 1; r <= 5; ++r) {
        const double want = std::pow(double(r), -1.2) / h;
        const double got = double(count[perm(r - 1)]) / double(v.size());
        BOOST_TEST(std::fabs(got - want) / want < 0.05, "rank " << r << " (slot " << perm(r - 1) << "): " << got
                                                                << " vs " << want);
    }
    // The hottest slot is not simply the first one of the window.
    BOOST_TEST(perm(0) != 0u);
    // Same seed: same stream; another seed: another hottest slot.
    BOOST_TEST(draw(p, 2000) == std::vector<uint64_t>(v.begin(), v.begin() + 2000), boost::test_tools::per_element());
    BOOST_TEST(SlotPermutation(n, 32)(0) != perm(0));
}

BOOST_AUTO_TEST_CASE(zipf_two_to_the_thirty_slots_without_a_table) {
    const uint64_t n = uint64_t(1) << 30;
    PatternParams p = params("zipf", 0x100000000ull, n * 64, 64);  // 64 GiB window
    p.alpha = 1.0;
    p.seed = 5;
    const uint64_t calls0 = g_new_calls, bytes0 = g_new_bytes;
    auto pat = make_pattern(p);
    const uint64_t build_bytes = g_new_bytes - bytes0;
    const uint64_t calls1 = g_new_calls;
    const int draws = 200000;
    const uint64_t hottest = p.base + SlotPermutation(n, p.seed)(0) * 64;
    uint64_t hits = 0, outside = 0, misaligned = 0;
    for (int i = 0; i < draws; ++i) {
        const uint64_t a = pat->next();
        hits += a == hottest;
        outside += a < p.base || a - p.base > p.window - 64;
        misaligned += (a - p.base) % 64 != 0;
    }
    const uint64_t draw_calls = g_new_calls - calls1;
    BOOST_TEST(calls1 - calls0 <= 2u);
    BOOST_TEST(build_bytes < 1024u);
    BOOST_TEST(draw_calls == 0u);
    BOOST_TEST(outside == 0u);
    BOOST_TEST(misaligned == 0u);
    // P(rank 1) = 1 / H(2^30, 1); H(n, 1) = ln n + gamma + 1/(2n) - ...
    const double want = 1.0 / (std::log(double(n)) + 0.5772156649015329);
    const double got = double(hits) / draws;
    BOOST_TEST(std::fabs(got - want) / want < 0.05, got << " vs " << want);
}

BOOST_AUTO_TEST_CASE(zipf_extreme_alpha_and_single_slot) {
    PatternParams p = params("zipf", 0, 64 * 100, 64);
    p.alpha = 100;  // essentially always rank 1
    const std::vector<uint64_t> v = draw(p, 1000);
    const uint64_t hottest = SlotPermutation(100, p.seed)(0) * 64;
    for (uint64_t a : v) BOOST_TEST(a == hottest);
    p.alpha = 0.01;  // nearly uniform
    check_inside(p, draw(p, 10000), true);
    PatternParams one = params("zipf", 0x7000, 100, 64);  // one slot
    for (uint64_t a : draw(one, 10)) BOOST_TEST(a == 0x7000u);
}

BOOST_AUTO_TEST_CASE(permutation_is_a_bijection) {
    for (uint64_t n = 1; n <= 300; ++n) {
        const SlotPermutation perm(n, 17);
        std::vector<bool> hit(n, false);
        for (uint64_t x = 0; x < n; ++x) {
            const uint64_t y = perm(x);
            if (y >= n || hit[y]) BOOST_FAIL("n " << n << ": perm(" << x << ") = " << y);
            hit[y] = true;
        }
    }
    const uint64_t n = 100003;
    const SlotPermutation perm(n, 4);
    std::vector<bool> hit(n, false);
    size_t fixed = 0;
    for (uint64_t x = 0; x < n; ++x) {
        const uint64_t y = perm(x);
        if (y >= n || hit[y]) BOOST_FAIL("perm(" << x << ") = " << y);
        hit[y] = true;
        fixed += y == x;
    }
    BOOST_TEST(fixed < 20u);  // not the identity
    // Huge domains (the full 64-bit width) stay in range.
    const SlotPermutation wide(~uint64_t(0), 1);
    for (uint64_t x : {uint64_t(0), uint64_t(1), ~uint64_t(0) - 1}) BOOST_TEST(wide(x) < ~uint64_t(0));
}

// ---------------------------------------------------- sequential/strided seeds

BOOST_AUTO_TEST_CASE(deterministic_patterns_ignore_the_seed) {
    for (const char* kind : {"sequential", "strided"}) {
        PatternParams p = params(kind, 0, 1 << 16, 64);
        p.stride = 4096;
        p.count = 3;
        const std::vector<uint64_t> a = draw(p, 100);
        p.seed = 12345;
        BOOST_TEST(draw(p, 100) == a, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(every_pattern_stays_in_window_over_many_draws) {
    for (const char* kind : {"sequential", "random", "hotcold", "zipf", "strided"}) {
        BOOST_TEST_CONTEXT(kind) {
            PatternParams p = params(kind, 0x7fff0000, 3 * 4096 + 100, 128);  // window not a multiple of size
            p.stride = 4096;
            p.count = 2;
            check_inside(p, draw(p, 50000), true);
        }
    }
}

// ------------------------------------------------------------------ invalid

BOOST_AUTO_TEST_CASE(invalid_parameters_are_named_first) {
    for (const char* kind : {"sequential", "random", "hotcold", "zipf", "strided"}) {
        PatternParams p = params(kind, 0, 4096, 64);
        p.stride = 64;
        p.size = 0;
        check_rejected(p, "size");
        p.size = 8192;
        check_rejected(p, "size");
        p.size = 64;
        p.window = 0;
        check_rejected(p, "window");
        p.window = 4096;
        p.base = ~uint64_t(0) - 4094;  // base + window = 2^64 + 1
        check_rejected(p, "window");
        p.base = ~uint64_t(0) - 4095;  // base + window = 2^64 exactly: accepted
        BOOST_CHECK_NO_THROW(make_pattern(p));
    }
    check_rejected(params("lru", 0, 4096, 64), "pattern");
    check_rejected(params("", 0, 4096, 64), "pattern");

    PatternParams s = params("sequential", 0, 4096, 64);
    s.start = 4033;  // 4033 + 64 > 4096
    check_rejected(s, "start");
    s.start = 4032;
    BOOST_CHECK_NO_THROW(make_pattern(s));
    s.start = ~uint64_t(0);
    check_rejected(s, "start");
    s.start = 1024;
    s.length = 3073;  // 1024 + 3073 > 4096
    check_rejected(s, "length");
    s.length = 63;  // shorter than one access
    check_rejected(s, "length");
    s.length = ~uint64_t(0);
    check_rejected(s, "length");

    PatternParams t = params("strided", 0, 4096, 64);
    check_rejected(t, "stride");  // stride is required
    t.stride = 4096;
    t.count = 0;
    check_rejected(t, "count");
    t.count = 2;
    t.start = 4090;
    check_rejected(t, "start");

    PatternParams h = params("hotcold", 0, 4096, 64);
    for (double f : {0.0, 1.0, -0.5, 1.5, std::nan(""), std::numeric_limits<double>::infinity()}) {
        h.hot_fraction = f;
        check_rejected(h, "hot_fraction");
    }
    h.hot_fraction = 0.5;
    for (double q : {-0.01, 1.01, std::nan("")}) {
        h.hot_probability = q;
        check_rejected(h, "hot_probability");
    }
    h.hot_probability = 0.5;
    h.window = 100;  // one slot: no cold slot left
    check_rejected(h, "hot_fraction");
    h.window = 128;  // two slots: one hot, one cold
    BOOST_CHECK_NO_THROW(make_pattern(h));

    PatternParams z = params("zipf", 0, 4096, 64);
    for (double a : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
        z.alpha = a;
        check_rejected(z, "alpha");
    }
    z.alpha = 1.0;
    z.size = 1;
    z.window = uint64_t(1) << 54;  // 2^54 slots: beyond exact doubles
    check_rejected(z, "window");
}

// SetAssocCache: hand-computed access sequences for every replacement policy.
//
// Each access below is "lookup, and fill on a miss", as a translation
// pipeline does it. Outcomes are written as
//   H<w>     hit in way w
//   F<w>     miss, filled into the free (invalid) way w
//   E<w>/<t> miss, evicted tag t from way w and filled there
#define BOOST_TEST_MODULE cache
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "models/common/cache.h"

using namespace iommusim;

namespace {

struct T {
    uint64_t v = 0;
    bool operator==(const T& o) const { return v == o.v; }
};
using Cache = SetAssocCache<T, uint64_t>;

CacheGeometry geo(uint32_t entries, uint32_t ways, ReplPolicy p, uint64_t seed = 1) {
    return CacheGeometry{entries, ways, p, seed};
}

// Way holding `tag` in the set selected by `index`, or -1.
int way_of(const Cache& c, uint64_t index, uint64_t tag) {
    int way = -1;
    const uint32_t set = static_cast<uint32_t>(index & (c.sets() - 1));
    c.for_each([&](uint32_t s, uint32_t w, const T& t, const uint64_t&) {
        if (s == set && t.v == tag) way = static_cast<int>(w);
    });
    return way;
}

std::string access(Cache& c, uint64_t index, uint64_t tag) {
    if (uint64_t* d = c.lookup(index, T{tag})) {
        BOOST_TEST(*d == tag * 10);
        return "H" + std::to_string(way_of(c, index, tag));
    }
    const auto r = c.fill(index, T{tag}, tag * 10);
    if (!r.evicted) return "F" + std::to_string(r.way);
    BOOST_TEST(r.victim == r.victim_tag.v * 10);
    return "E" + std::to_string(r.way) + "/" + std::to_string(r.victim_tag.v);
}

// Accesses every tag with index = tag.
std::vector<std::string> run(Cache& c, const std::vector<uint64_t>& tags) {
    std::vector<std::string> out;
    for (uint64_t t : tags) out.push_back(access(c, t, t));
    return out;
}

// PLRU bits of a 4-way set as "b0 b1 b2" (root, left node, right node).
std::string bits3(const Cache& c, uint32_t set = 0) {
    std::string s;
    for (uint32_t n = 0; n < 3; ++n) s += c.plru_bit(set, n) ? '1' : '0';
    return s;
}

using Strs = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(policy_names) {
    ReplPolicy p = ReplPolicy::FIFO;
    BOOST_TEST(parse_repl_policy("lru", p));
    BOOST_TEST((p == ReplPolicy::LRU));
    BOOST_TEST(parse_repl_policy("plru", p));
    BOOST_TEST((p == ReplPolicy::PLRU));
    BOOST_TEST(parse_repl_policy("fifo", p));
    BOOST_TEST((p == ReplPolicy::FIFO));
    BOOST_TEST(parse_repl_policy("Random", p));
    BOOST_TEST((p == ReplPolicy::Random));
    BOOST_TEST(!parse_repl_policy("mru", p));
    BOOST_TEST(!parse_repl_policy("", p));
    BOOST_TEST((p == ReplPolicy::Random));  // unchanged on failure
    for (ReplPolicy q : {ReplPolicy::LRU, ReplPolicy::PLRU, ReplPolicy::FIFO, ReplPolicy::Random}) {
        ReplPolicy r = ReplPolicy::LRU;
        BOOST_TEST(parse_repl_policy(repl_policy_name(q), r));
        BOOST_TEST((r == q));
    }
    BOOST_TEST(std::string(repl_policy_name(ReplPolicy::PLRU)) == "plru");
}

BOOST_AUTO_TEST_CASE(geometry_validation) {
    BOOST_TEST(validate(geo(64, 4, ReplPolicy::LRU)).empty());
    BOOST_TEST(validate(geo(1, 1, ReplPolicy::PLRU)).empty());
    BOOST_TEST(validate(geo(3, 3, ReplPolicy::LRU)).empty());      // 1 set of 3 ways
    BOOST_TEST(validate(geo(12, 3, ReplPolicy::Random)).empty());  // 4 sets of 3 ways
    BOOST_TEST(validate(geo(512, 512, ReplPolicy::PLRU)).empty());

    const CacheGeometry bad[] = {
        geo(0, 1, ReplPolicy::LRU),   // no entries
        geo(4, 0, ReplPolicy::LRU),   // no ways
        geo(6, 4, ReplPolicy::LRU),   // entries not a multiple of ways
        geo(12, 4, ReplPolicy::LRU),  // 3 sets
        geo(3, 3, ReplPolicy::PLRU),  // PLRU with 3 ways
        geo(24, 6, ReplPolicy::PLRU), // PLRU with 6 ways (4 sets)
    };
    for (const auto& g : bad) {
        const std::string msg = validate(g);
        BOOST_TEST(!msg.empty());
        try {
            Cache c(g);
            BOOST_FAIL("constructor accepted an invalid geometry: " + msg);
        } catch (const std::invalid_argument& e) {
            BOOST_TEST(std::string(e.what()) == msg);
        }
    }
    BOOST_TEST(validate(geo(6, 4, ReplPolicy::LRU)).find("multiple") != std::string::npos);
    BOOST_TEST(validate(geo(12, 4, ReplPolicy::LRU)).find("power of two") != std::string::npos);
    BOOST_TEST(validate(geo(3, 3, ReplPolicy::PLRU)).find("PLRU") != std::string::npos);

    Cache c(geo(64, 4, ReplPolicy::FIFO, 7));
    BOOST_TEST(c.sets() == 16u);
    BOOST_TEST(c.ways() == 4u);
    BOOST_TEST(c.geometry().entries == 64u);
    BOOST_TEST(c.geometry().seed == 7u);
}

// 1 set x 4 ways, true LRU. Recency order is written least -> most recent.
BOOST_AUTO_TEST_CASE(lru_one_set_four_ways) {
    Cache c(geo(4, 4, ReplPolicy::LRU));
    const Strs got = run(c, {1, 2, 3, 4, 1, 5, 3, 6, 2, 5, 7});
    const Strs want = {
        "F0", "F1", "F2", "F3",  // ways [1 2 3 4], order 1 2 3 4
        "H0",                    // 1 hit:  order 2 3 4 1
        "E1/2",                  // 5: LRU is 2 (way 1) -> [1 5 3 4], order 3 4 1 5
        "H2",                    // 3 hit:  order 4 1 5 3
        "E3/4",                  // 6: LRU is 4 (way 3) -> [1 5 3 6], order 1 5 3 6
        "E0/1",                  // 2: LRU is 1 (way 0) -> [2 5 3 6], order 5 3 6 2
        "H1",                    // 5 hit:  order 3 6 2 5
        "E2/3",                  // 7: LRU is 3 (way 2) -> [2 5 7 6], order 6 2 5 7
    };
    BOOST_TEST(got == want, boost::test_tools::per_element());

    // Overwriting a present tag is a touch: order 2 5 7 6, so 6 is no longer LRU.
    const auto r = c.fill(6, T{6}, 60);
    BOOST_TEST(!r.evicted);
    BOOST_TEST(r.way == 3u);
    BOOST_TEST(access(c, 8, 8) == "E0/2");  // LRU is 2 (way 0)
    BOOST_TEST(c.valid_entries() == 4u);
}

// 1 set x 4 ways, FIFO: same sequence as the LRU test, different victims.
BOOST_AUTO_TEST_CASE(fifo_one_set_four_ways) {
    Cache c(geo(4, 4, ReplPolicy::FIFO));
    const Strs got = run(c, {1, 2, 3, 4, 1, 5, 3, 6, 2, 5, 7});
    const Strs want = {
        "F0", "F1", "F2", "F3",  // ways [1 2 3 4], queue (oldest first) 1 2 3 4
        "H0",                    // hits do not reorder
        "E0/1",                  // 5: oldest is 1 (way 0) -> [5 2 3 4], queue 2 3 4 5
        "H2",                    // 3 hit
        "E1/2",                  // 6: oldest is 2 (way 1) -> [5 6 3 4], queue 3 4 5 6
        "E2/3",                  // 2: oldest is 3 (way 2) -> [5 6 2 4], queue 4 5 6 2
        "H0",                    // 5 hit
        "E3/4",                  // 7: oldest is 4 (way 3) -> [5 6 2 7], queue 5 6 2 7
    };
    BOOST_TEST(got == want, boost::test_tools::per_element());

    // Overwriting 6 in place does not requeue it; the oldest is still 5.
    const auto r = c.fill(6, T{6}, 60);
    BOOST_TEST(!r.evicted);
    BOOST_TEST(r.way == 1u);
    BOOST_TEST(access(c, 8, 8) == "E0/5");  // queue 6 2 7 8
    BOOST_TEST(access(c, 9, 9) == "E1/6");
}

// 1 set x 4 ways, tree-PLRU. Bits b0 b1 b2: b0 root ({0,1} | {2,3}),
// b1 (0 | 1), b2 (2 | 3); 0 = go left. Touching way w points its path away:
//   w0: b0=1 b1=1   w1: b0=1 b1=0   w2: b0=0 b2=1   w3: b0=0 b2=0
BOOST_AUTO_TEST_CASE(plru_one_set_four_ways) {
    Cache c(geo(4, 4, ReplPolicy::PLRU));
    BOOST_TEST(bits3(c) == "000");
    struct Step {
        uint64_t tag;
        const char* outcome;
        const char* bits;  // after the access
    };
    const Step steps[] = {
        {1, "F0", "110"},
        {2, "F1", "100"},
        {3, "F2", "001"},
        {4, "F3", "000"},    // ways [1 2 3 4]
        {1, "H0", "110"},    // hit way 0
        {5, "E2/3", "011"},  // b0=1 -> right, b2=0 -> way 2; ways [1 2 5 4]
        {3, "E1/2", "101"},  // b0=0 -> left,  b1=1 -> way 1; ways [1 3 5 4]
        {6, "E3/4", "000"},  // b0=1 -> right, b2=1 -> way 3; ways [1 3 5 6]
        {1, "H0", "110"},    // hit way 0
        {2, "E2/5", "011"},  // b0=1 -> right, b2=0 -> way 2; ways [1 3 2 6]
    };
    for (const Step& s : steps) {
        BOOST_TEST(access(c, s.tag, s.tag) == s.outcome);
        BOOST_TEST(bits3(c) == s.bits);
    }

    // Invalidating one entry leaves the bits alone.
    BOOST_TEST(c.invalidate_if([](const T& t, const uint64_t&) { return t.v == 1; }) == 1u);
    BOOST_TEST(bits3(c) == "011");
    BOOST_TEST(access(c, 7, 7) == "F0");  // lowest invalid way, then touch w0
    BOOST_TEST(bits3(c) == "111");
    // b0=1 -> right, b2=1 (kept through the invalidation) -> way 3.
    BOOST_TEST(access(c, 8, 8) == "E3/6");
    BOOST_TEST(bits3(c) == "010");

    BOOST_TEST(c.invalidate_all() == 4u);
    BOOST_TEST(bits3(c) == "000");
    BOOST_TEST(c.valid_entries() == 0u);
}

// 1 set x 4 ways, Random with seed 1. xorshift64* from x = 1 yields
// 0x47e4ce4b896cdd1d, 0xabcfa6a8e079651d, 0xb9d10d8feb731f57,
// 0x4db418a0bb1b019d, 0x0e6199b04d5aa600, 0xc8674bcb42e3aad9, ...
// so victims (value % 4) are ways 1 1 3 1 0 1 ...
BOOST_AUTO_TEST_CASE(random_one_set_four_ways) {
    Cache c(geo(4, 4, ReplPolicy::Random, 1));
    const Strs got = run(c, {1, 2, 3, 4, 5, 6, 7, 8, 3, 9, 10});
    const Strs want = {
        "F0", "F1", "F2", "F3",  // free ways: the generator is not advanced
        "E1/2",                  // way 1 -> [1 5 3 4]
        "E1/5",                  // way 1 -> [1 6 3 4]
        "E3/4",                  // way 3 -> [1 6 3 7]
        "E1/6",                  // way 1 -> [1 8 3 7]
        "H2",                    // lookups do not advance the generator
        "E0/1",                  // way 0 -> [9 8 3 7]
        "E1/8",                  // way 1 -> [9 10 3 7]
    };
    BOOST_TEST(got == want, boost::test_tools::per_element());
}

// Random victims follow the documented generator exactly, for a non-power-of-two
// way count, and are the same for the same seed.
BOOST_AUTO_TEST_CASE(random_determinism) {
    auto reference = [](uint64_t x, unsigned n, uint32_t ways) {
        if (x == 0) x = 0x9E3779B97F4A7C15ull;
        std::vector<uint32_t> v;
        for (unsigned i = 0; i < n; ++i) {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            v.push_back(static_cast<uint32_t>((x * 0x2545F4914F6CDD1Dull) % ways));
        }
        return v;
    };
    auto victims = [](uint64_t seed, unsigned n) {
        Cache c(geo(3, 3, ReplPolicy::Random, seed));
        for (uint64_t t = 0; t < 3; ++t) c.fill(0, T{t}, 0);
        std::vector<uint32_t> v;
        for (uint64_t t = 100; t < 100 + n; ++t) {
            const auto r = c.fill(0, T{t}, 0);
            BOOST_TEST(r.evicted);
            v.push_back(r.way);
        }
        return v;
    };
    // seed 1, % 3: 1 2 1 0 2 1 0 1
    const std::vector<uint32_t> first8 = {1, 2, 1, 0, 2, 1, 0, 1};
    const auto v1 = victims(1, 1000);
    BOOST_TEST(std::vector<uint32_t>(v1.begin(), v1.begin() + 8) == first8, boost::test_tools::per_element());
    BOOST_TEST(v1 == reference(1, 1000, 3), boost::test_tools::per_element());
    BOOST_TEST(victims(1, 1000) == v1, boost::test_tools::per_element());
    BOOST_TEST(victims(12345, 1000) == reference(12345, 1000, 3), boost::test_tools::per_element());
    BOOST_TEST((victims(2, 1000) != v1));
    // Seed 0 is replaced by the documented constant.
    BOOST_TEST(victims(0, 100) == victims(0x9E3779B97F4A7C15ull, 100), boost::test_tools::per_element());
    // Every way gets picked.
    unsigned seen[3] = {};
    for (uint32_t w : v1) seen[w]++;
    BOOST_TEST(seen[0] > 250u);
    BOOST_TEST(seen[1] > 250u);
    BOOST_TEST(seen[2] > 250u);
}

// 2 sets x 2 ways, LRU; index = tag, so even tags map to set 0, odd to set 1.
BOOST_AUTO_TEST_CASE(lru_two_sets_two_ways) {
    const std::vector<uint64_t> seq = {0, 2, 1, 4, 3, 2, 6, 5, 1};
    const Strs want = {
        "F0",    // 0 -> set 0 way 0
        "F1",    // 2 -> set 0 way 1
        "F0",    // 1 -> set 1 way 0
        "E0/0",  // 4 -> set 0 full, LRU 0 (way 0); set 0 = [4 2], order 2 4
        "F1",    // 3 -> set 1 way 1; set 1 = [1 3], order 1 3
        "H1",    // 2 hit in set 0; order 4 2
        "E0/4",  // 6 -> set 0, LRU 4 (way 0); set 0 = [6 2]
        "E0/1",  // 5 -> set 1, LRU 1 (way 0); set 1 = [5 3], order 3 5
        "E1/3",  // 1 -> set 1, LRU 3 (way 1); set 1 = [5 1]
    };
    Cache c(geo(4, 2, ReplPolicy::LRU));
    BOOST_TEST(c.sets() == 2u);
    BOOST_TEST(run(c, seq) == want, boost::test_tools::per_element());

    // A 2-way tree-PLRU (one bit per set) is exactly LRU.
    Cache p(geo(4, 2, ReplPolicy::PLRU));
    BOOST_TEST(run(p, seq) == want, boost::test_tools::per_element());
    // set 0 = [6 2], 6 (way 0) most recent -> bit points right (1);
    // set 1 = [5 1], 1 (way 1) most recent -> bit points left (0).
    BOOST_TEST(p.plru_bit(0, 0));
    BOOST_TEST(!p.plru_bit(1, 0));
}

BOOST_AUTO_TEST_CASE(set_indexing) {
    Cache c(geo(32, 4, ReplPolicy::LRU));  // 8 sets
    BOOST_TEST(c.sets() == 8u);
    // set = index & 7; only the low bits of the index select.
    BOOST_TEST(c.fill(0x1235, T{1}, 10).set == 5u);
    BOOST_TEST(c.fill(0xfff8, T{2}, 20).set == 0u);
    BOOST_TEST(c.fill(~uint64_t{0}, T{3}, 30).set == 7u);
    // Lookups find an entry only through an index of the same set.
    BOOST_TEST(c.probe(0x5, T{1}) != nullptr);
    BOOST_TEST(c.probe(0x1236, T{1}) == nullptr);
    BOOST_TEST(*c.probe(0x8, T{2}) == 20u);
    BOOST_TEST(c.probe(0x7, T{3}) != nullptr);
    // The same tag may live in several sets (the tag is the caller's business).
    BOOST_TEST(!c.fill(0x6, T{1}, 11).evicted);
    BOOST_TEST(c.valid_entries() == 4u);
    BOOST_TEST(*c.probe(0x5, T{1}) == 10u);
    BOOST_TEST(*c.probe(0x6, T{1}) == 11u);
    // Filling five tags into one 4-way set evicts only within that set.
    for (uint64_t t = 10; t < 15; ++t) c.fill(0x5 + 8 * t, T{t}, t);
    BOOST_TEST(c.valid_entries() == 7u);  // 4 + 3 free ways of set 5
    BOOST_TEST(c.probe(0x5, T{1}) == nullptr);  // the LRU of set 5 went first
    BOOST_TEST(c.probe(0x0, T{2}) != nullptr);
    BOOST_TEST(c.counters().evictions == 2u);

    // Visiting order is set-major, then way.
    std::vector<std::pair<uint32_t, uint32_t>> order;
    c.for_each([&](uint32_t s, uint32_t w, const T&, const uint64_t&) { order.emplace_back(s, w); });
    BOOST_TEST(order.size() == 7u);
    for (size_t i = 1; i < order.size(); ++i) BOOST_TEST((order[i - 1] < order[i]));
}

// Fully associative (1 set), 512 ways.
BOOST_AUTO_TEST_CASE(fully_associative_lru) {
    Cache c(geo(512, 512, ReplPolicy::LRU));
    BOOST_TEST(c.sets() == 1u);
    for (uint64_t t = 0; t < 512; ++t) {
        const auto r = c.fill(t * 0x9e37, T{t}, t);  // any index selects set 0
        BOOST_TEST(!r.evicted);
        BOOST_TEST(r.way == t);
    }
    for (uint64_t t = 0; t < 512; ++t) BOOST_TEST(c.lookup(t, T{t}) != nullptr);
    for (uint64_t t = 0; t < 256; ++t) c.lookup(0, T{t});  // 0..255 now most recent
    // New tags evict 256..511, then 0..255, each from its own way.
    for (uint64_t i = 0; i < 512; ++i) {
        const auto r = c.fill(0, T{1000 + i}, 0);
        BOOST_TEST(r.evicted);
        const uint64_t want = i < 256 ? 256 + i : i - 256;
        BOOST_TEST(r.victim_tag.v == want);
        BOOST_TEST(r.way == want);
    }
    BOOST_TEST(c.counters().hits == 768u);
}

// Tree-PLRU over 512 ways: after an in-order fill every node points left,
// and replacing each victim in turn visits the ways in bit-reversed order
// (0, 256, 128, 384, 64, ...), i.e. every way exactly once.
BOOST_AUTO_TEST_CASE(fully_associative_plru) {
    Cache c(geo(512, 512, ReplPolicy::PLRU));
    for (uint64_t t = 0; t < 512; ++t) c.fill(0, T{t}, t);
    for (uint32_t n = 0; n < 511; ++n) BOOST_TEST(!c.plru_bit(0, n));
    auto bitrev9 = [](uint32_t k) {
        uint32_t r = 0;
        for (int b = 0; b < 9; ++b) r |= ((k >> b) & 1u) << (8 - b);
        return r;
    };
    for (uint32_t k = 0; k < 512; ++k) {
        const auto r = c.fill(0, T{1000 + k}, 0);
        BOOST_TEST(r.evicted);
        BOOST_TEST(r.way == bitrev9(k));
        BOOST_TEST(r.victim_tag.v == bitrev9(k));
    }
}

BOOST_AUTO_TEST_CASE(fully_associative_fifo) {
    Cache c(geo(512, 512, ReplPolicy::FIFO));
    for (uint64_t t = 0; t < 512; ++t) c.fill(0, T{t}, t);
    for (uint64_t t = 0; t < 512; ++t) c.lookup(0, T{511 - t});  // hits change nothing
    for (uint32_t k = 0; k < 512; ++k) BOOST_TEST(c.fill(0, T{1000 + k}, 0).way == k);
}

BOOST_AUTO_TEST_CASE(invalidate_by_predicate) {
    Cache c(geo(8, 4, ReplPolicy::LRU));  // 2 sets
    for (uint64_t t = 0; t < 8; ++t) c.fill(t, T{t}, t * 10);
    BOOST_TEST(c.valid_entries() == 8u);

    // By tag: odd tags (all of set 1).
    BOOST_TEST(c.invalidate_if([](const T& t, const uint64_t&) { return t.v % 2 == 1; }) == 4u);
    BOOST_TEST(c.valid_entries() == 4u);
    for (uint64_t t = 0; t < 8; ++t) BOOST_TEST((c.probe(t, T{t}) != nullptr) == (t % 2 == 0));
    // By data.
    BOOST_TEST(c.invalidate_if([](const T&, const uint64_t& d) { return d >= 40; }) == 2u);
    BOOST_TEST(c.probe(4, T{4}) == nullptr);
    BOOST_TEST(c.probe(6, T{6}) == nullptr);
    BOOST_TEST(c.probe(2, T{2}) != nullptr);
    // Already-invalid entries are not offered again.
    unsigned calls = 0;
    BOOST_TEST(c.invalidate_if([&](const T&, const uint64_t&) { ++calls; return false; }) == 0u);
    BOOST_TEST(calls == 2u);
    // Invalidated ways are refilled lowest-first, without eviction.
    // Set 0 = [0 2 - -] after the invalidations above.
    auto r = c.fill(8, T{8}, 80);
    BOOST_TEST(!r.evicted);
    BOOST_TEST(r.way == 2u);
    r = c.fill(1, T{9}, 90);  // set 1 is empty
    BOOST_TEST(!r.evicted);
    BOOST_TEST(r.way == 0u);
    BOOST_TEST(c.counters().invalidations == 6u);

    BOOST_TEST(c.invalidate_all() == 4u);  // 0 2 8 9
    BOOST_TEST(c.valid_entries() == 0u);
    BOOST_TEST(c.invalidate_all() == 0u);
    BOOST_TEST(c.counters().invalidations == 10u);
    bool any = false;
    c.for_each([&](uint32_t, uint32_t, const T&, const uint64_t&) { any = true; });
    BOOST_TEST(!any);
}

BOOST_AUTO_TEST_CASE(counters_and_probe) {
    Cache c(geo(2, 2, ReplPolicy::LRU));  // 1 set x 2 ways
    BOOST_TEST(c.lookup(0, T{1}) == nullptr);  // miss
    c.fill(0, T{1}, 10);                       // fill way 0
    c.fill(0, T{2}, 20);                       // fill way 1; order 1 2
    // probe counts nothing and does not touch: 1 stays LRU.
    BOOST_TEST(*c.probe(0, T{1}) == 10u);
    BOOST_TEST(c.probe(0, T{3}) == nullptr);
    auto r = c.fill(0, T{3}, 30);
    BOOST_TEST(r.evicted);
    BOOST_TEST(r.victim_tag.v == 1u);
    BOOST_TEST(r.victim == 10u);
    // A hit returns mutable data.
    uint64_t* d = c.lookup(0, T{2});
    BOOST_REQUIRE(d != nullptr);
    *d = 21;
    BOOST_TEST(*c.probe(0, T{2}) == 21u);
    c.fill(0, T{2}, 22);  // overwrite: fill, not eviction
    BOOST_TEST(*c.probe(0, T{2}) == 22u);
    BOOST_TEST(c.lookup(0, T{1}) == nullptr);
    c.invalidate_if([](const T& t, const uint64_t&) { return t.v == 3; });

    const CacheCounters& k = c.counters();
    BOOST_TEST(k.lookups == 3u);
    BOOST_TEST(k.hits == 1u);
    BOOST_TEST(k.misses == 2u);
    BOOST_TEST(k.fills == 4u);
    BOOST_TEST(k.evictions == 1u);
    BOOST_TEST(k.invalidations == 1u);
    BOOST_TEST(c.valid_entries() == 1u);
}

// Works with a real multi-field tag and non-trivial data.
BOOST_AUTO_TEST_CASE(struct_tag_and_string_data) {
    struct Tag {
        uint64_t vpn = 0;
        uint16_t asid = 0;
        bool operator==(const Tag& o) const { return vpn == o.vpn && asid == o.asid; }
    };
    SetAssocCache<Tag, std::string> c(geo(4, 2, ReplPolicy::PLRU));
    c.fill(5, Tag{5, 1}, "a");
    c.fill(5, Tag{5, 2}, "b");
    const auto r = c.fill(5, Tag{5, 3}, "c");  // set 1: bit points at way 0 ("a")
    BOOST_TEST(r.evicted);
    BOOST_TEST(r.victim == "a");
    BOOST_TEST(r.victim_tag.asid == 1u);
    BOOST_TEST(*c.lookup(5, Tag{5, 2}) == "b");
    BOOST_TEST(c.lookup(4, Tag{5, 2}) == nullptr);
}

// The shared translation pipeline (pure C++): hit/miss sequences, walk-cache
// resumption, nested walks and the timing of each path, against values
// computed by hand from the parameters.
#define BOOST_TEST_MODULE translation
#include <boost/test/unit_test.hpp>

#include <unordered_map>

#include "models/common/pagetables/vmsa_builder.h"
#include "models/common/translation.h"

using namespace iommusim;

namespace {

constexpr ps_t kMemPs = 100'000;  // 100 ns per descriptor read
constexpr ps_t kClk = 1000;       // 1 GHz

struct FakeMem : DescriptorReader {
    std::unordered_map<uint64_t, uint64_t> words;
    uint64_t next = 0x100000;
    unsigned reads = 0;
    bool read_desc(uint64_t addr, uint64_t& v, ps_t& t) override {
        auto it = words.find(addr);
        v = it == words.end() ? 0 : it->second;
        t += kMemPs;
        reads++;
        return true;
    }
    vmsa::TableMemory tm() {
        vmsa::TableMemory m;
        m.ctx = this;
        m.read64 = [](void* c, uint64_t a) {
            auto& w = static_cast<FakeMem*>(c)->words;
            auto it = w.find(a);
            return it == w.end() ? uint64_t{0} : it->second;
        };
        m.write64 = [](void* c, uint64_t a, uint64_t v) { static_cast<FakeMem*>(c)->words[a] = v; };
        m.alloc_table = [](void* c, uint64_t bytes) {
            auto* f = static_cast<FakeMem*>(c);
            const uint64_t a = (f->next + bytes - 1) & ~(bytes - 1);
            f->next = a + bytes;
            return a;
        };
        return m;
    }
};

PipelineParams params(unsigned walk_slots = 4, bool walk_cache = true) {
    PipelineParams p;
    p.iotlb = CacheGeometry{16, 4, ReplPolicy::LRU, 1};
    p.iotlb_latency_cycles = 2;
    p.iotlb_ports = 1;
    p.walk_cache = walk_cache;
    p.walk_cache_geometry = CacheGeometry{16, 4, ReplPolicy::LRU, 1};
    p.walk_cache_latency_cycles = 3;
    p.walk_slots = walk_slots;
    p.clock_period_ps = kClk;
    return p;
}

TranslationContext s1_ctx(const vmsa::VmsaBuilder& b, uint32_t asid = 1) {
    TranslationContext c;
    c.s1_enabled = true;
    c.s1[0].enabled = true;
    c.s1[0].cfg = b.config();
    BOOST_REQUIRE(vmsa::start_level(c.s1[0].cfg, c.s1[0].start) == vmsa::Fault::None);
    c.s1_table_valid[1] = false;
    c.asid = asid;
    return c;
}

Access rd(uint64_t a) {
    Access x;
    x.addr = a;
    return x;
}

}  // namespace

BOOST_AUTO_TEST_CASE(miss_then_hit_timing) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());  // 48-bit, 4 levels
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x2000, 0x1000, {}));
    TranslationPipeline p(params(), m);
    const TranslationContext c = s1_ctx(b);

    ps_t t = 0;
    TranslateResult r = p.translate(c, rd(0x4000'0123), t);
    BOOST_TEST(r.ok);
    BOOST_TEST(!r.iotlb_hit);
    BOOST_TEST(r.pa == 0x8000'0123u);
    // IOTLB lookup 2 cycles (the port is free), walk-cache lookup 3 cycles,
    // then 4 descriptor reads of 100 ns: 5 ns + 400 ns.
    BOOST_TEST(t == 5 * kClk + 4 * kMemPs);
    BOOST_TEST(p.stats().walk_reads == 4u);

    const ps_t t1 = t;
    r = p.translate(c, rd(0x4000'0ff8), t);
    BOOST_TEST(r.iotlb_hit);
    BOOST_TEST(r.pa == 0x8000'0ff8u);
    BOOST_TEST(t - t1 == 2 * kClk);  // port free by now: lookup latency only
    BOOST_TEST(p.iotlb().counters().lookups == 2u);
    BOOST_TEST(p.iotlb().counters().hits == 1u);
}

BOOST_AUTO_TEST_CASE(walk_cache_resumes_at_last_level) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x2000, 0x1000, {}));
    TranslationPipeline p(params(), m);
    const TranslationContext c = s1_ctx(b);
    ps_t t = 0;
    p.translate(c, rd(0x4000'0000), t);
    BOOST_TEST(p.stats().walk_reads == 4u);
    // Next page shares the level-2 table descriptor: one read (the leaf).
    const ps_t t1 = t;
    TranslateResult r = p.translate(c, rd(0x4000'1000), t);
    BOOST_TEST(r.pa == 0x8000'1000u);
    BOOST_TEST(p.stats().walk_reads == 5u);
    BOOST_TEST(t - t1 == 2 * kClk + 3 * kClk + kMemPs);
}

BOOST_AUTO_TEST_CASE(walk_cache_disabled_walks_all_levels) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x2000, 0x1000, {}));
    TranslationPipeline p(params(4, false), m);
    const TranslationContext c = s1_ctx(b);
    ps_t t = 0;
    p.translate(c, rd(0x4000'0000), t);
    p.translate(c, rd(0x4000'1000), t);
    BOOST_TEST(p.stats().walk_reads == 8u);
}

BOOST_AUTO_TEST_CASE(one_walker_serialises_concurrent_misses) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x2000, 0x1000, {}));
    BOOST_TEST(b.map(0x7000'0000, 0x9000'0000, 0x1000, 0x1000, {}));
    TranslationPipeline p(params(1), m);
    const TranslationContext c = s1_ctx(b);
    ps_t ta = 0, tb = 0;  // two requests arriving at time 0
    p.translate(c, rd(0x4000'0000), ta);
    p.translate(c, rd(0x7000'0000), tb);
    // A: lookup 2 cycles, walk cache 3, 4 reads: done at 405 ns.
    // B: the port is held 1 cycle by A, so B's lookup ends at 3 ns; it then
    // waits for the only walker until 405 ns. 0x4000_0000 and 0x7000_0000
    // share VA[47:30], so the walk cache holds B's level-1 table descriptor:
    // 3 cycles + 2 reads (levels 2 and 3).
    BOOST_TEST(ta == 5 * kClk + 4 * kMemPs);
    BOOST_TEST(tb == ta + 3 * kClk + 2 * kMemPs);
    BOOST_TEST(p.walkers().waits() == 1u);
}

BOOST_AUTO_TEST_CASE(two_walkers_overlap) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x1000, 0x1000, {}));
    BOOST_TEST(b.map(0x7000'0000, 0x9000'0000, 0x1000, 0x1000, {}));
    TranslationPipeline p(params(2, false), m);
    const TranslationContext c = s1_ctx(b);
    ps_t ta = 0, tb = 0;
    p.translate(c, rd(0x4000'0000), ta);
    p.translate(c, rd(0x7000'0000), tb);
    // No walk cache: 2 cycles + 4 reads each; B is one port cycle behind.
    BOOST_TEST(ta == 2 * kClk + 4 * kMemPs);
    BOOST_TEST(tb == ta + kClk);
    BOOST_TEST(p.walkers().waits() == 0u);
}

BOOST_AUTO_TEST_CASE(asid_tags_separate_address_spaces_and_global_entries_match_all) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    vmsa::MapAttrs ng;
    ng.ng = true;
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x1000, 0x1000, ng));
    BOOST_TEST(b.map(0x5000'0000, 0x9000'0000, 0x1000, 0x1000, {}));  // global (nG = 0)
    TranslationPipeline p(params(), m);
    ps_t t = 0;
    p.translate(s1_ctx(b, 1), rd(0x4000'0000), t);
    p.translate(s1_ctx(b, 1), rd(0x5000'0000), t);
    // ASID 2: the nG page misses, the global page hits.
    BOOST_TEST(!p.translate(s1_ctx(b, 2), rd(0x4000'0000), t).iotlb_hit);
    BOOST_TEST(p.translate(s1_ctx(b, 2), rd(0x5000'0000), t).iotlb_hit);
}

BOOST_AUTO_TEST_CASE(block_mapping_fills_one_large_entry) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x20'0000, 0x20'0000, {}));
    TranslationPipeline p(params(), m);
    const TranslationContext c = s1_ctx(b);
    ps_t t = 0;
    TranslateResult r = p.translate(c, rd(0x4000'0000), t);
    BOOST_TEST(r.page_size == 0x20'0000u);
    BOOST_TEST(p.stats().walk_reads == 3u);  // levels 0, 1, 2 (block)
    r = p.translate(c, rd(0x401f'f000), t);
    BOOST_TEST(r.iotlb_hit);
    BOOST_TEST(r.pa == 0x801f'f000u);
}

BOOST_AUTO_TEST_CASE(faults_are_classified_and_not_cached) {
    FakeMem m;
    vmsa::VmsaBuilder b(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    vmsa::MapAttrs ro;
    ro.write = false;
    BOOST_TEST(b.map(0x4000'0000, 0x8000'0000, 0x1000, 0x1000, ro));
    TranslationPipeline p(params(), m);
    const TranslationContext c = s1_ctx(b);
    ps_t t = 0;
    TranslateResult r = p.translate(c, rd(0x6000'0000), t);
    BOOST_TEST(!r.ok);
    BOOST_TEST((r.fault.type == FaultType::Translation));
    BOOST_TEST(r.fault.stage == 1u);
    BOOST_TEST(p.iotlb().counters().fills == 0u);
    Access w = rd(0x4000'0000);
    w.write = true;
    r = p.translate(c, w, t);
    BOOST_TEST((r.fault.type == FaultType::Permission));
    // The valid read-only translation is cached; a read now hits.
    BOOST_TEST(p.translate(c, rd(0x4000'0008), t).iotlb_hit);
    r = p.translate(c, w, t);  // and a write still faults from the IOTLB entry
    BOOST_TEST((r.fault.type == FaultType::Permission));
    BOOST_TEST(r.iotlb_hit == false);
}

BOOST_AUTO_TEST_CASE(nested_translation_goes_through_stage2) {
    FakeMem m;
    // Stage 2 (40-bit IPA, start level 1): identity for the stage-1 tables' area, and
    // IPA 0x1'0000'0000 -> PA 0x8000'0000 for the data page.
    vmsa::VmsaBuilder s2(vmsa::Stage::S2, vmsa::Granule::G4K, 24, 1, m.tm(), 48);
    vmsa::VmsaBuilder s1(vmsa::Stage::S1, vmsa::Granule::G4K, 16, 0, m.tm());
    BOOST_TEST(s1.map(0x4000'0000, 0x1'0000'0000, 0x1000, 0x1000, {}));
    BOOST_TEST(s2.map(0x0, 0x0, 0x4000'0000, 0x20'0000, {}));  // tables live below 1 GiB
    BOOST_TEST(s2.map(0x1'0000'0000, 0x8000'0000, 0x1000, 0x1000, {}));
    TranslationContext c = s1_ctx(s1);
    c.s2.enabled = true;
    c.s2.cfg = s2.config();
    BOOST_REQUIRE(vmsa::start_level(c.s2.cfg, c.s2.start) == vmsa::Fault::None);
    c.vmid = 3;
    TranslationPipeline p(params(), m);
    ps_t t = 0;
    TranslateResult r = p.translate(c, rd(0x4000'0040), t);
    BOOST_TEST(r.ok);
    BOOST_TEST(r.pa == 0x8000'0040u);
    BOOST_TEST(p.stats().s1_walks == 1u);
    BOOST_TEST(p.stats().s2_walks >= 2u);  // table IPAs + the output IPA
    BOOST_TEST(p.translate(c, rd(0x4000'0080), t).iotlb_hit);  // combined entry
}

// SMMUv3 DMA through each STE configuration, with bytes checked at the
// expected physical address (hand-chosen mappings, not model output).
#define BOOST_TEST_MODULE smmuv3_translate
#include <boost/test/unit_test.hpp>

#include "tests/sc/smmu_fixture.h"

using namespace iommusim;
using namespace iommusim::test;

namespace {
constexpr uint16_t kRid = 0x0108;          // 01:01.0
constexpr uint64_t kIova = 0x12345000;
constexpr uint64_t kPa = 0x2'0000'0000;    // 8 GiB
constexpr uint64_t kMagic = 0x1122334455667788ull;
}  // namespace

BOOST_AUTO_TEST_CASE(stage1_read_and_write_reach_mapped_pa) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x2000, 0x1000));
        b.drv.attach(kRid, d);
        b.phys().write64(kPa + 0x1238, kMagic);
        DmaResult r;
        BOOST_TEST(b.read64(kRid, kIova + 0x1238, &r) == kMagic);
        BOOST_TEST(r.ok());
        BOOST_TEST(b.write64(kRid, kIova + 0x10, 0xabcdef).ok());
        BOOST_TEST(b.phys().read64(kPa + 0x10) == 0xabcdefu);
        BOOST_TEST(b.phys().read64(kIova + 0x10) == 0u);  // nothing at the untranslated address
    }));
}

BOOST_AUTO_TEST_CASE(stage1_16k_and_64k_granules) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d16 = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G16K, 47);
        auto* d64 = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G64K, 42);
        BOOST_TEST(b.drv.map(d16, 0x40000, kPa, 0x4000, 0x4000));
        BOOST_TEST(b.drv.map(d64, 0x30000, kPa + 0x100000, 0x10000, 0x10000));
        b.drv.attach(kRid, d16);
        b.drv.attach(kRid + 1, d64);
        b.phys().write64(kPa + 0x3ff8, 1);
        b.phys().write64(kPa + 0x100000 + 0xfff8, 2);
        BOOST_TEST(b.read64(kRid, 0x40000 + 0x3ff8) == 1u);
        BOOST_TEST(b.read64(kRid + 1, 0x30000 + 0xfff8) == 2u);
    }));
}

BOOST_AUTO_TEST_CASE(stage1_2mib_block_is_one_iotlb_entry) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, 0x4000'0000, kPa, 0x20'0000, 0x20'0000));
        b.drv.attach(kRid, d);
        b.phys().write64(kPa + 0x1f'fff0, 7);
        b.read64(kRid, 0x4000'0000);
        const uint64_t walks = b.smmu.pipeline().stats().walks;
        BOOST_TEST(b.read64(kRid, 0x4000'0000 + 0x1f'fff0) == 7u);  // same 2 MiB entry: no walk
        BOOST_TEST(b.smmu.pipeline().stats().walks == walks);
    }));
}

BOOST_AUTO_TEST_CASE(stage2_translates) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::S2, vmsa::Granule::G4K, 40);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        b.phys().write64(kPa + 8, kMagic);
        BOOST_TEST(b.read64(kRid, kIova + 8) == kMagic);
        BOOST_TEST(b.smmu.pipeline().stats().s2_walks == 1u);
        BOOST_TEST(b.smmu.pipeline().stats().s1_walks == 0u);
    }));
}

BOOST_AUTO_TEST_CASE(nested_translates_through_both_stages) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::Nested, vmsa::Granule::G4K, 48);
        // Stage 1: kIova -> IPA kPa + 2^46; stage 2: that IPA -> kPa.
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        b.phys().write64(kPa + 0x20, kMagic);
        BOOST_TEST(b.read64(kRid, kIova + 0x20) == kMagic);
        const auto& s = b.smmu.pipeline().stats();
        BOOST_TEST(s.s1_walks == 1u);
        // Stage-2 walks: the CD fetch, stage-1 table reads and the final IPA
        // all go through stage 2; at least the CD and the final IPA walk.
        BOOST_TEST(s.s2_walks >= 2u);
        BOOST_TEST(b.read64(kRid, kIova + 0x20) == kMagic);  // now a combined IOTLB hit
        BOOST_TEST(b.smmu.pipeline().stats().s1_walks == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(bypass_ste_passes_address_unchanged) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        b.drv.attach_bypass(kRid);
        b.phys().write64(kPa, kMagic);
        BOOST_TEST(b.read64(kRid, kPa) == kMagic);
        BOOST_TEST(b.smmu.stats().bypassed == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(abort_ste_aborts_without_event) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        b.drv.attach_abort(kRid);
        b.phys().write64(kPa, kMagic);
        DmaResult r;
        BOOST_TEST(b.read64(kRid, kPa, &r) == 0u);
        BOOST_TEST(!r.ok());
        BOOST_TEST(b.drv.drain_events().empty());
    }));
}

BOOST_AUTO_TEST_CASE(linear_stream_table) {
    BenchOptions o;
    o.driver.two_level = false;
    o.driver.sid_bits = 10;
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        BOOST_TEST(StrtabBaseCfg{b.drv.read32(SMMU_STRTAB_BASE_CFG)}.FMT() == STRTAB_FMT_LINEAR);
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(0x3ff, d);
        // Linear: the STE of StreamID 0x3ff is at STRTAB_BASE + 0x3ff * 64.
        BOOST_TEST(b.drv.ste_addr(0x3ff) == StrtabBase{b.drv.read64(SMMU_STRTAB_BASE)}.addr() + 0x3ff * 64);
        b.phys().write64(kPa, kMagic);
        BOOST_TEST(b.read64(0x3ff, kIova) == kMagic);
    }));
}

BOOST_AUTO_TEST_CASE(two_level_stream_table) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        const StrtabBaseCfg cfg{b.drv.read32(SMMU_STRTAB_BASE_CFG)};
        BOOST_TEST(cfg.FMT() == STRTAB_FMT_2LEVEL);
        BOOST_TEST(cfg.SPLIT() == 8u);
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(0x1234, d);
        // L1STD index = 0x1234 >> 8 = 0x12, at STRTAB_BASE + 0x12 * 8.
        const uint64_t l1 = StrtabBase{b.drv.read64(SMMU_STRTAB_BASE)}.addr() + 0x12 * 8;
        const L1Std desc{b.phys().read64(l1)};
        BOOST_TEST(desc.Span() == 9u);
        BOOST_TEST(b.drv.ste_addr(0x1234) == desc.l2ptr_addr() + 0x34 * 64);
        b.phys().write64(kPa, kMagic);
        BOOST_TEST(b.read64(0x1234, kIova) == kMagic);
    }));
}

BOOST_AUTO_TEST_CASE(substreams_linear_and_two_level_cd_tables) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* lin = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48, 4);   // 16 CDs, linear
        auto* two = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48, 8);   // 256 CDs, 2-level
        BOOST_TEST(two->cd_l1 != 0u);
        BOOST_TEST(b.drv.map(lin, kIova, kPa, 0x1000, 0x1000));
        BOOST_TEST(b.drv.map(two, kIova, kPa + 0x1000, 0x1000, 0x1000));
        b.drv.attach(kRid, lin);
        b.drv.attach(kRid + 1, two);
        b.phys().write64(kPa, 1);
        b.phys().write64(kPa + 0x1000, 2);
        DmaResult r;
        BOOST_TEST(b.read64(kRid, kIova, &r, true, 15) == 1u);
        BOOST_TEST(r.ok());
        BOOST_TEST(b.read64(kRid + 1, kIova, &r, true, 63) == 2u);  // L1CD 0, leaf index 63
        BOOST_TEST(r.ok());
        // No SubstreamID: S1DSS = SUBSTREAM0 uses CD 0.
        BOOST_TEST(b.read64(kRid, kIova, &r) == 1u);
        BOOST_TEST(r.ok());
        // SubstreamID 100 is beyond the 64 CDs the driver populated: its L1CD is invalid.
        b.read64(kRid + 1, kIova, &r, true, 100);
        BOOST_TEST(!r.ok());
        auto ev = b.drv.drain_events();
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].EventType() == C_BAD_SUBSTREAMID);
        BOOST_TEST(ev[0].SubstreamID() == 100u);
    }));
}

BOOST_AUTO_TEST_CASE(page_crossing_dma_is_split_per_page) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        // Two contiguous IOVA pages mapped to non-contiguous physical pages.
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        BOOST_TEST(b.drv.map(d, kIova + 0x1000, kPa + 0x10000, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        unsigned char buf[16];
        for (int i = 0; i < 16; ++i) buf[i] = static_cast<unsigned char>(i + 1);
        BOOST_TEST(b.dma(kRid, kIova + 0xff8, buf, 16, true).ok());
        unsigned char lo[8], hi[8];
        b.phys().read(kPa + 0xff8, lo, 8);
        b.phys().read(kPa + 0x10000, hi, 8);
        BOOST_TEST(lo[0] == 1);
        BOOST_TEST(lo[7] == 8);
        BOOST_TEST(hi[0] == 9);
        BOOST_TEST(hi[7] == 16);
    }));
}

BOOST_AUTO_TEST_CASE(gbpa_decides_when_smmu_disabled) {
    BenchOptions o;
    o.init = false;
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        b.phys().write64(kPa, kMagic);
        DmaResult r;
        // Reset GBPA: ABORT = 0, so the disabled SMMU bypasses.
        BOOST_TEST(b.read64(kRid, kPa, &r) == kMagic);
        BOOST_TEST(r.ok());
        b.drv.set_gbpa_abort(true);
        BOOST_TEST(Gbpa{b.drv.read32(SMMU_GBPA)}.Update() == 0u);  // update completed
        BOOST_TEST(Gbpa{b.drv.read32(SMMU_GBPA)}.ABORT() == 1u);
        BOOST_TEST(b.read64(kRid, kPa, &r) == 0u);
        BOOST_TEST(!r.ok());
        b.drv.set_gbpa_abort(false);
        BOOST_TEST(b.read64(kRid, kPa, &r) == kMagic);
    }));
}

BOOST_AUTO_TEST_CASE(idr_registers_reflect_parameters) {
    BenchOptions o;
    o.smmu.stage2 = false;
    o.smmu.oas_bits = 44;
    o.smmu.sid_bits = 12;
    o.smmu.ssid_bits = 5;
    o.smmu.gran16k = false;
    o.driver.sid_bits = 12;
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        const Idr0 i0{b.drv.read32(SMMU_IDR0)};
        BOOST_TEST(i0.S1P() == 1u);
        BOOST_TEST(i0.S2P() == 0u);
        BOOST_TEST(i0.TTF() == IDR0_TTF_AARCH64);
        BOOST_TEST(i0.ST_LEVEL() == IDR0_ST_LEVEL_2LVL);
        const Idr1 i1{b.drv.read32(SMMU_IDR1)};
        BOOST_TEST(i1.SIDSIZE() == 12u);
        BOOST_TEST(i1.SSIDSIZE() == 5u);
        const Idr5 i5{b.drv.read32(SMMU_IDR5)};
        BOOST_TEST(i5.OAS() == OAS_44BIT);
        BOOST_TEST(i5.GRAN4K() == 1u);
        BOOST_TEST(i5.GRAN16K() == 0u);
        BOOST_TEST(i5.GRAN64K() == 1u);
        BOOST_TEST(Cr0{b.drv.read32(SMMU_CR0ACK)}.SMMUEN() == 1u);
    }));
}

// The translation time the SMMU reports excludes the memory access it
// forwards: with a 100 ns memory of unlimited bandwidth, end-to-end latency
// minus translation time is exactly 100 ns, on a miss (which includes the
// walk's descriptor reads in translation) and on a hit, and a miss costs
// more translation time than the hit that follows it.
BOOST_AUTO_TEST_CASE(translation_time_excludes_the_data_access) {
    BenchOptions o;
    o.memory.latency_ns = 100;
    o.memory.bandwidth_gbps = 0;
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        auto* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        DmaResult miss, hit;
        b.read64(kRid, kIova, &miss);
        b.read64(kRid, kIova + 8, &hit);
        BOOST_TEST_REQUIRE(miss.ok());
        BOOST_TEST_REQUIRE(hit.ok());
        BOOST_TEST((miss.latency - miss.translation) == sc_core::sc_time(100, sc_core::SC_NS));
        BOOST_TEST((hit.latency - hit.translation) == sc_core::sc_time(100, sc_core::SC_NS));
        BOOST_TEST(hit.translation > sc_core::SC_ZERO_TIME);
        // The miss walks 4 levels, each descriptor read a 100 ns memory access.
        BOOST_TEST(miss.translation >= hit.translation + sc_core::sc_time(400, sc_core::SC_NS));
    }));
}

// SMMUv3 faults: each produces its architected event record, checked word by
// word against values computed by hand from IHI 0070's record layouts:
//   dw0: EventType[7:0], SSV[11], SubstreamID[31:12], StreamID[63:32]
//   dw1: PnU[97], InD[98], RnW[99], S2[103], CLASS[105:104]
//   dw2: InputAddr[191:128]   dw3: IPA[51:12] at [243:204] / FetchAddr[51:3] at [243:195]
#define BOOST_TEST_MODULE smmuv3_faults
#include <boost/test/unit_test.hpp>

#include "models/common/pagetables/vmsa_desc.h"
#include "tests/sc/smmu_fixture.h"

using namespace iommusim;
using namespace iommusim::test;

namespace {
constexpr uint16_t kRid = 0x0108;
constexpr uint64_t kIova = 0x12345000;
constexpr uint64_t kPa = 0x2'0000'0000;
constexpr uint64_t kBeyondMemory = 0x8'0000'0000;  // 32 GiB: memory is 16 GiB
constexpr uint64_t kRnW = uint64_t{1} << 35;       // bit 99
constexpr uint64_t kS2 = uint64_t{1} << 39;        // bit 103
constexpr uint64_t kClassTT = uint64_t{1} << 40;   // CLASS = 0b01 at [105:104]
constexpr uint64_t kClassIN = uint64_t{2} << 40;   // CLASS = 0b10
constexpr uint64_t kClassCD = 0;

void expect_record(const Event& e, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3) {
    BOOST_TEST(e.dw[0] == w0);
    BOOST_TEST(e.dw[1] == w1);
    BOOST_TEST(e.dw[2] == w2);
    BOOST_TEST(e.dw[3] == w3);
}

Event one_event(SmmuBench& b) {
    auto ev = b.drv.drain_events();
    BOOST_REQUIRE_EQUAL(ev.size(), 1u);
    return ev[0];
}

using Domain = Smmuv3Driver::Domain;

Domain* s1_domain(SmmuBench& b, uint16_t sid = kRid) {
    Domain* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
    BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
    b.drv.attach(sid, d);
    return d;
}

void rewrite_cd(SmmuBench& b, Domain* d, const std::function<void(Cd&)>& f) {
    Cd cd;
    b.phys().read(b.drv.cd_addr(d, 0), cd.dw, 64);
    f(cd);
    b.phys().write(b.drv.cd_addr(d, 0), cd.dw, 64);
    b.drv.issue(cmd_cfgi_cd(kRid, 0, true));
    b.drv.sync();
}
}  // namespace

BOOST_AUTO_TEST_CASE(f_translation_unmapped_stage1_read) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        s1_domain(b);
        DmaResult r;
        b.read64(kRid, 0x7770'0008, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0010ull, kRnW | kClassIN, 0x7770'0008, 0);
        BOOST_TEST(b.smmu.stats().faults == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(f_permission_write_to_read_only) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = b.drv.create_domain(DomainKind::S1, vmsa::Granule::G4K, 48);
        MapPerms ro;
        ro.write = false;
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000, ro));
        b.drv.attach(kRid, d);
        BOOST_TEST(b.read64(kRid, kIova) == 0u);  // read allowed
        BOOST_TEST(!b.write64(kRid, kIova + 0x40, 1).ok());
        BOOST_TEST(b.phys().read64(kPa + 0x40) == 0u);
        // Write: RnW = 0.
        expect_record(one_event(b), 0x0000'0108'0000'0013ull, kClassIN, kIova + 0x40, 0);
    }));
}

BOOST_AUTO_TEST_CASE(f_access_flag_clear) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        const uint64_t leaf = d->s1->leaf_desc_addr(kIova, 3);
        BOOST_TEST_REQUIRE(leaf != 0u);
        vmsa::VmsaDesc desc{b.phys().read64(leaf)};
        desc.set_AF(0);
        b.phys().write64(leaf, desc.value);
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0012ull, kRnW | kClassIN, kIova, 0);
    }));
}

BOOST_AUTO_TEST_CASE(f_addr_size_output_beyond_ips) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        // IPS = 0b000: 32-bit output; the page at 8 GiB is beyond it (tables are below 4 GiB).
        rewrite_cd(b, d, [](Cd& cd) { cd.set_IPS(0); });
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0011ull, kRnW | kClassIN, kIova, 0);
    }));
}

BOOST_AUTO_TEST_CASE(f_walk_eabt_table_beyond_memory) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        rewrite_cd(b, d, [](Cd& cd) { cd.set_ttb0_addr(kBeyondMemory); });
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        // Level-0 index of 0x12345000 is 0: the first descriptor is at TTB0 itself.
        expect_record(one_event(b), 0x0000'0108'0000'000Bull, kRnW | kClassTT, kIova, kBeyondMemory);
    }));
}

BOOST_AUTO_TEST_CASE(f_translation_stage2_records_ipa) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = b.drv.create_domain(DomainKind::S2, vmsa::Granule::G4K, 40);
        b.drv.attach(kRid, d);
        DmaResult r;
        b.read64(kRid, 0x5555'6008, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0010ull, kRnW | kS2 | kClassIN, 0x5555'6008, 0x5555'6000);
    }));
}

BOOST_AUTO_TEST_CASE(nested_stage2_fault_on_stage1_table_fetch_is_class_tt) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = b.drv.create_domain(DomainKind::Nested, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        const uint64_t ttb = d->s1->ttb();
        BOOST_TEST(d->s2->unmap(ttb, 0x1000) == 1u);  // the stage-1 root is no longer reachable
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        // S2 fault during the stage-1 walk: CLASS = TT, IPA = the root table's page.
        expect_record(one_event(b), 0x0000'0108'0000'0010ull, kRnW | kS2 | kClassTT, kIova, ttb & ~0xfffull);
    }));
}

BOOST_AUTO_TEST_CASE(nested_stage2_fault_on_cd_fetch_is_class_cd) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = b.drv.create_domain(DomainKind::Nested, vmsa::Granule::G4K, 48);
        BOOST_TEST(b.drv.map(d, kIova, kPa, 0x1000, 0x1000));
        b.drv.attach(kRid, d);
        const uint64_t cd = b.drv.cd_addr(d, 0);
        BOOST_TEST(d->s2->unmap(cd & ~0xfffull, 0x1000) == 1u);
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        const Event e = one_event(b);
        BOOST_TEST(e.EventType() == F_TRANSLATION);
        BOOST_TEST(e.S2() == 1u);
        BOOST_TEST(e.CLASS() == CLASS_CD);
        BOOST_TEST((e.IPA() << 12) == (cd & ~0xfffull));
        (void)kClassCD;
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_ste_invalid_entry) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        b.drv.attach_bypass(0x0231);  // creates the level-2 table holding StreamIDs 0x200-0x2ff
        DmaResult r;
        b.read64(0x0230, 0x1000, &r);  // nothing attached to 0x230: STE.V == 0
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0230'0000'0004ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_ste_reserved_config) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Ste ste;
        ste.set_V(1);
        ste.set_Config(0b010);  // reserved encoding
        b.phys().write(b.drv.ste_addr(kRid), ste.dw, 64);
        DmaResult r;
        b.read64(kRid, 0x1000, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0004ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_ste_stage2_bad_sl0) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = b.drv.create_domain(DomainKind::S2, vmsa::Granule::G4K, 40);
        b.drv.attach(kRid, d);
        Ste ste;
        b.phys().read(b.drv.ste_addr(kRid), ste.dw, 64);
        ste.set_S2SL0(3);  // reserved with a 4 KiB granule
        b.phys().write(b.drv.ste_addr(kRid), ste.dw, 64);
        b.drv.issue(cmd_cfgi_ste(kRid, true));
        b.drv.sync();
        DmaResult r;
        b.read64(kRid, 0x1000, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0004ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_streamid_l1std_span_zero) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        DmaResult r;
        b.read64(0x0530, 0x1000, &r);  // L1STD 5 was never populated: Span == 0
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0530'0000'0002ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_streamid_beyond_stream_table) {
    BenchOptions o;
    o.driver.sid_bits = 8;  // STRTAB_BASE_CFG.LOG2SIZE = 8
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        DmaResult r;
        b.read64(0x0100, 0x1000, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0100'0000'0002ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_substreamid_without_substreams) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        s1_domain(b);
        DmaResult r;
        b.read64(kRid, kIova, &r, true, 5);
        BOOST_TEST(!r.ok());
        // SSV = 1 (bit 11), SubstreamID = 5 at [31:12].
        expect_record(one_event(b), 0x0000'0108'0000'5808ull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_cd_invalid_cd) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        rewrite_cd(b, d, [](Cd& cd) { cd.set_V(0); });
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'000Aull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(c_bad_cd_reserved_tg0) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        rewrite_cd(b, d, [](Cd& cd) { cd.set_TG0(0b11); });
        DmaResult r;
        b.read64(kRid, kIova, &r);
        expect_record(one_event(b), 0x0000'0108'0000'000Aull, 0, 0, 0);
    }));
}

BOOST_AUTO_TEST_CASE(f_ste_fetch_stream_table_beyond_memory) {
    BenchOptions o;
    o.driver.two_level = false;
    o.driver.sid_bits = 10;
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        const uint32_t cr0 = b.drv.read32(SMMU_CR0);
        b.drv.write32(SMMU_CR0, cr0 & ~1u);  // SMMUEN = 0 to move the stream table
        StrtabBase sb;
        sb.set_addr(kBeyondMemory);
        b.drv.write64(SMMU_STRTAB_BASE, sb.value);
        b.drv.write32(SMMU_CR0, cr0);
        DmaResult r;
        b.read64(kRid, 0x1000, &r);
        BOOST_TEST(!r.ok());
        // Linear: STE address = base + 0x108 * 64 = base + 0x4200.
        expect_record(one_event(b), 0x0000'0108'0000'0003ull, 0, 0, kBeyondMemory + 0x4200);
    }));
}

BOOST_AUTO_TEST_CASE(f_cd_fetch_context_pointer_beyond_memory) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        s1_domain(b);
        Ste ste;
        b.phys().read(b.drv.ste_addr(kRid), ste.dw, 64);
        ste.set_s1_context_ptr_addr(kBeyondMemory);
        b.phys().write(b.drv.ste_addr(kRid), ste.dw, 64);
        b.drv.issue(cmd_cfgi_ste(kRid, true));
        b.drv.sync();
        DmaResult r;
        b.read64(kRid, kIova, &r);
        BOOST_TEST(!r.ok());
        expect_record(one_event(b), 0x0000'0108'0000'0009ull, 0, 0, kBeyondMemory);
    }));
}

BOOST_AUTO_TEST_CASE(cd_r_zero_suppresses_record_and_a_zero_gives_raz_wi) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = s1_domain(b);
        rewrite_cd(b, d, [](Cd& cd) {
            cd.set_R(0);
            cd.set_A(0);
        });
        uint64_t v = 0xffff;
        DmaResult r = b.dma(kRid, 0x7770'0000, &v, 8, false);
        BOOST_TEST(r.ok());       // terminated as RAZ/WI, not aborted
        BOOST_TEST(v == 0u);      // read as zero
        BOOST_TEST(b.drv.drain_events().empty());
        BOOST_TEST(b.smmu.stats().faults == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(event_queue_overflow_sets_ovflg_and_goes_on) {
    BenchOptions o;
    o.driver.eventq_log2 = 1;  // two entries
    BOOST_TEST(run_bench(o, [](SmmuBench& b) {
        s1_domain(b);
        for (int i = 0; i < 3; ++i) b.read64(kRid, 0x7770'0000 + 0x1000 * i);
        const EventqProd prod{b.drv.read32(SMMU_EVENTQ_PROD)};
        const EventqCons cons{b.drv.read32(SMMU_EVENTQ_CONS)};
        BOOST_TEST(prod.OVFLG() != cons.OVACKFLG());
        BOOST_TEST(b.smmu.stats().events == 2u);
        BOOST_TEST(b.smmu.stats().events_lost == 1u);
        auto ev = b.drv.drain_events();  // consumes both and acknowledges the overflow
        BOOST_TEST_REQUIRE(ev.size() == 2u);
        BOOST_TEST(ev[0].InputAddr() == 0x7770'0000u);
        BOOST_TEST(ev[1].InputAddr() == 0x7770'1000u);
        BOOST_TEST(EventqProd{b.drv.read32(SMMU_EVENTQ_PROD)}.OVFLG() ==
                   EventqCons{b.drv.read32(SMMU_EVENTQ_CONS)}.OVACKFLG());
        // The simulation goes on: the next fault is recorded.
        b.read64(kRid, 0x7777'0000);
        auto more = b.drv.drain_events();
        BOOST_TEST_REQUIRE(more.size() == 1u);
        BOOST_TEST(more[0].InputAddr() == 0x7777'0000u);
    }));
}

// SMMUv3 command queue: each invalidation's architected effect. A page's
// leaf descriptor is rewritten behind the SMMU's back; the stale translation
// must be used before the command and the new one after it, and entries the
// command does not name must stay (still stale).
#define BOOST_TEST_MODULE smmuv3_commands
#include <boost/test/unit_test.hpp>

#include "models/common/pagetables/vmsa_desc.h"
#include "tests/sc/smmu_fixture.h"

using namespace iommusim;
using namespace iommusim::test;

namespace {
constexpr uint16_t kRid = 0x0108;
constexpr uint64_t kA = 0x1000'0000, kB = 0x1000'1000;
constexpr uint64_t kOld = 0x2'0000'0000, kNew = 0x3'0000'0000;
using Domain = Smmuv3Driver::Domain;

// Maps kA and kB to kOld/kOld+0x1000 and marks old and new pages so a read
// tells which translation was used: old page = 1, new page = 2.
Domain* setup(SmmuBench& b, DomainKind kind, uint16_t rid = kRid, uint64_t old_pa = kOld, uint64_t new_pa = kNew) {
    Domain* d = b.drv.create_domain(kind, vmsa::Granule::G4K, kind == DomainKind::S2 ? 40 : 48);
    BOOST_TEST(b.drv.map(d, kA, old_pa, 0x2000, 0x1000));
    b.drv.attach(rid, d);
    for (uint64_t off : {uint64_t{0}, uint64_t{0x1000}}) {
        b.phys().write64(old_pa + off, 1);
        b.phys().write64(new_pa + off, 2);
    }
    return d;
}

// Points the leaf of `va` at new_pa + page offset, without invalidating.
void retarget(SmmuBench& b, Domain* d, uint64_t va, uint64_t new_pa) {
    auto& builder = d->kind == DomainKind::S2 ? *d->s2 : *d->s1;
    const uint64_t leaf = builder.leaf_desc_addr(va, 3);
    BOOST_TEST_REQUIRE(leaf != 0u);
    vmsa::VmsaDesc desc{b.phys().read64(leaf)};
    desc.set_address(new_pa + (va - kA), false);
    b.phys().write64(leaf, desc.value);
}

void warm_and_retarget(SmmuBench& b, Domain* d, uint16_t rid = kRid, uint64_t new_pa = kNew) {
    BOOST_TEST(b.read64(rid, kA) == 1u);
    BOOST_TEST(b.read64(rid, kB) == 1u);
    retarget(b, d, kA, new_pa);
    retarget(b, d, kB, new_pa);
    BOOST_TEST(b.read64(rid, kA) == 1u);  // stale: served by the IOTLB
    BOOST_TEST(b.read64(rid, kB) == 1u);
}

void run_cmd(SmmuBench& b, const Cmd& c) {
    b.drv.issue(c);
    b.drv.sync();
    BOOST_TEST(CmdqCons{b.drv.read32(SMMU_CMDQ_CONS)}.ERR() == CERROR_NONE);
}
}  // namespace

BOOST_AUTO_TEST_CASE(tlbi_nh_va_invalidates_only_that_page) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S1);
        warm_and_retarget(b, d);
        run_cmd(b, cmd_tlbi_nh_va(0, d->asid, kA, true));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 1u);  // not named: still stale
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_va_range_covers_both_pages) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S1);
        warm_and_retarget(b, d);
        Cmd c = cmd_tlbi_nh_va(0, d->asid, kA, true);
        cmd_tlbi_set_range(c, 1, 0, TLBI_TG_4K);  // (NUM+1) << SCALE = 2 pages of 4 KiB
        run_cmd(b, c);
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 2u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_va_other_asid_untouched) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S1);
        warm_and_retarget(b, d);
        run_cmd(b, cmd_tlbi_nh_va(0, static_cast<uint16_t>(d->asid + 1), kA, true));
        BOOST_TEST(b.read64(kRid, kA) == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_va_leaf_keeps_walk_cache_nonleaf_drops_it) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S1);
        warm_and_retarget(b, d);
        auto& wc = b.smmu.pipeline().walk_cache();
        const uint64_t before = wc.counters().invalidations;
        run_cmd(b, cmd_tlbi_nh_va(0, d->asid, kA, true));
        BOOST_TEST(wc.counters().invalidations == before);  // Leaf = 1: table entries stay
        run_cmd(b, cmd_tlbi_nh_va(0, d->asid, kA, false));
        // Leaf = 0: the level 0, 1 and 2 table descriptors covering kA go.
        BOOST_TEST(wc.counters().invalidations == before + 3);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_vaa_all_asids) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d1 = setup(b, DomainKind::S1, kRid, kOld, kNew);
        Domain* d2 = setup(b, DomainKind::S1, kRid + 1, kOld + 0x10000, kNew + 0x10000);
        warm_and_retarget(b, d1, kRid, kNew);
        warm_and_retarget(b, d2, kRid + 1, kNew + 0x10000);
        run_cmd(b, cmd_tlbi_nh_vaa(0, kA, true));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid + 1, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 1u);
        BOOST_TEST(b.read64(kRid + 1, kB) == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_asid_only_that_asid) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d1 = setup(b, DomainKind::S1, kRid, kOld, kNew);
        Domain* d2 = setup(b, DomainKind::S1, kRid + 1, kOld + 0x10000, kNew + 0x10000);
        warm_and_retarget(b, d1, kRid, kNew);
        warm_and_retarget(b, d2, kRid + 1, kNew + 0x10000);
        run_cmd(b, cmd_tlbi_nh_asid(0, d1->asid));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 2u);
        BOOST_TEST(b.read64(kRid + 1, kA) == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nh_all_all_stage1_of_vmid) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d1 = setup(b, DomainKind::S1, kRid, kOld, kNew);
        Domain* s2 = setup(b, DomainKind::S2, kRid + 1, kOld + 0x10000, kNew + 0x10000);
        warm_and_retarget(b, d1, kRid, kNew);
        warm_and_retarget(b, s2, kRid + 1, kNew + 0x10000);
        run_cmd(b, cmd_tlbi_nh_all(0));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 2u);
        BOOST_TEST(b.read64(kRid + 1, kA) == 1u);  // stage-2 entries are not NH
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_s2_ipa_only_that_ipa) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S2);
        warm_and_retarget(b, d);
        run_cmd(b, cmd_tlbi_s2_ipa(d->vmid, kA, true));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_s12_vmall_only_that_vmid) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d1 = setup(b, DomainKind::S2, kRid, kOld, kNew);
        Domain* d2 = setup(b, DomainKind::S2, kRid + 1, kOld + 0x10000, kNew + 0x10000);
        warm_and_retarget(b, d1, kRid, kNew);
        warm_and_retarget(b, d2, kRid + 1, kNew + 0x10000);
        run_cmd(b, cmd_tlbi_s12_vmall(d1->vmid));
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid, kB) == 2u);
        BOOST_TEST(b.read64(kRid + 1, kA) == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(tlbi_nsnh_all_everything) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d1 = setup(b, DomainKind::S1, kRid, kOld, kNew);
        Domain* d2 = setup(b, DomainKind::S2, kRid + 1, kOld + 0x10000, kNew + 0x10000);
        warm_and_retarget(b, d1, kRid, kNew);
        warm_and_retarget(b, d2, kRid + 1, kNew + 0x10000);
        run_cmd(b, cmd_tlbi_nsnh_all());
        BOOST_TEST(b.read64(kRid, kA) == 2u);
        BOOST_TEST(b.read64(kRid + 1, kB) == 2u);
    }));
}

BOOST_AUTO_TEST_CASE(cfgi_ste_makes_new_ste_visible) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        setup(b, DomainKind::S1);
        BOOST_TEST(b.read64(kRid, kA) == 1u);
        b.drv.attach_abort(kRid, false);  // rewrite the STE without invalidating
        DmaResult r;
        BOOST_TEST(b.read64(kRid, kA, &r) == 1u);  // cached STE still used
        run_cmd(b, cmd_cfgi_ste(kRid, true));
        b.read64(kRid, kA, &r);
        BOOST_TEST(!r.ok());  // now aborted
    }));
}

BOOST_AUTO_TEST_CASE(cfgi_ste_range_covers_its_span_only) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        setup(b, DomainKind::S1, 0x150);
        setup(b, DomainKind::S1, 0x250, kOld + 0x10000, kNew + 0x10000);
        b.read64(0x150, kA);
        b.read64(0x250, kA);
        b.drv.attach_abort(0x150, false);
        b.drv.attach_abort(0x250, false);
        run_cmd(b, cmd_cfgi_ste_range(0x100, 7));  // 2^(7+1) = 256 StreamIDs: 0x100-0x1ff
        DmaResult r;
        b.read64(0x150, kA, &r);
        BOOST_TEST(!r.ok());
        b.read64(0x250, kA, &r);
        BOOST_TEST(r.ok());
        run_cmd(b, cmd_cfgi_all());
        b.read64(0x250, kA, &r);
        BOOST_TEST(!r.ok());
    }));
}

BOOST_AUTO_TEST_CASE(cfgi_cd_and_cd_all) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Domain* d = setup(b, DomainKind::S1);
        BOOST_TEST(b.read64(kRid, kA) == 1u);
        Cd cd;
        b.phys().read(b.drv.cd_addr(d, 0), cd.dw, 64);
        cd.set_V(0);
        b.phys().write(b.drv.cd_addr(d, 0), cd.dw, 64);
        DmaResult r;
        b.read64(kRid, kA, &r);
        BOOST_TEST(r.ok());  // cached CD
        run_cmd(b, cmd_cfgi_cd(kRid, 1, true));  // another substream: no effect
        b.read64(kRid, kA, &r);
        BOOST_TEST(r.ok());
        run_cmd(b, cmd_cfgi_cd_all(kRid));
        b.read64(kRid, kA, &r);
        BOOST_TEST(!r.ok());
        auto ev = b.drv.drain_events();
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].EventType() == C_BAD_CD);
    }));
}

BOOST_AUTO_TEST_CASE(sync_completes_with_msi_write) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        const uint64_t msi = 0x2'0000'1000;
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        b.drv.sync_msi(msi, 0xfeedbeef);
        b.drv.sync();
        BOOST_TEST(b.phys().read64(msi) == 0xfeedbeefu);
        BOOST_TEST(b.smmu.stats().syncs == 2u);
        // Two commands of cmd_cycles (8) at 1 GHz each, plus queue reads: >= 16 ns.
        BOOST_TEST((sc_core::sc_time_stamp() - t0) >= sc_core::sc_time(16, sc_core::SC_NS));
    }));
}

BOOST_AUTO_TEST_CASE(illegal_command_stops_queue_until_acknowledged) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        const uint32_t bad_index = CmdqCons{b.drv.read32(SMMU_CMDQ_CONS)}.RD();
        b.drv.issue(Cmd::make(0x7f));  // unknown opcode
        b.drv.issue(cmd_sync_msi(0x2'0000'2000, 1));
        sc_core::wait(1, sc_core::SC_US);
        const CmdqCons cons{b.drv.read32(SMMU_CMDQ_CONS)};
        BOOST_TEST(cons.ERR() == CERROR_ILL);
        BOOST_TEST(cons.RD() == bad_index);  // stopped at the bad command
        const uint32_t active = b.drv.read32(SMMU_GERROR) ^ b.drv.read32(SMMU_GERRORN);
        BOOST_TEST(Gerror{active}.CMDQ_ERR() == 1u);
        BOOST_TEST(b.phys().read64(0x2'0000'2000) == 0u);  // the SYNC behind it did not run
        // Software replaces the bad command and acknowledges.
        const uint64_t slot = CmdqBase{b.drv.read64(SMMU_CMDQ_BASE)}.addr() + uint64_t{bad_index & 0xff} * 16;
        const Cmd nop = cmd_sync_none();
        b.phys().write(slot, nop.dw, 16);
        b.drv.write32(SMMU_GERRORN, b.drv.read32(SMMU_GERROR));
        sc_core::wait(1, sc_core::SC_US);
        BOOST_TEST(b.phys().read64(0x2'0000'2000) == 1u);
        BOOST_TEST(b.smmu.stats().command_errors == 1u);
    }));
}

BOOST_AUTO_TEST_CASE(res0_bit_set_is_illegal) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        Cmd c = cmd_cfgi_ste(kRid, true);
        c.dw[1] |= uint64_t{1} << 10;  // bit 74: RES0 in CMD_CFGI_STE
        b.drv.issue(c);
        sc_core::wait(1, sc_core::SC_US);
        BOOST_TEST(CmdqCons{b.drv.read32(SMMU_CMDQ_CONS)}.ERR() == CERROR_ILL);
    }));
}

BOOST_AUTO_TEST_CASE(unsupported_el2_tlbi_is_illegal) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        b.drv.issue(cmd_tlbi_el2_all());
        sc_core::wait(1, sc_core::SC_US);
        BOOST_TEST(CmdqCons{b.drv.read32(SMMU_CMDQ_CONS)}.ERR() == CERROR_ILL);
    }));
}

BOOST_AUTO_TEST_CASE(prefetch_config_fills_config_cache) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        setup(b, DomainKind::S1);
        run_cmd(b, cmd_cfgi_all());
        const uint64_t fetches = b.smmu.stats().ste_fetches;
        run_cmd(b, cmd_prefetch_config(kRid));
        BOOST_TEST(b.smmu.stats().ste_fetches == fetches + 1);
        b.read64(kRid, kA);
        BOOST_TEST(b.smmu.stats().ste_fetches == fetches + 1);  // the DMA hit the prefetched STE
    }));
}

BOOST_AUTO_TEST_CASE(prefetch_addr_fills_iotlb) {
    BOOST_TEST(run_bench({}, [](SmmuBench& b) {
        setup(b, DomainKind::S1);
        run_cmd(b, cmd_prefetch_addr(kRid, kB, 0));
        const uint64_t walks = b.smmu.pipeline().stats().walks;
        const uint64_t hits = b.smmu.pipeline().iotlb().counters().hits;
        BOOST_TEST(walks >= 1u);
        BOOST_TEST(b.read64(kRid, kB) == 1u);
        BOOST_TEST(b.smmu.pipeline().stats().walks == walks);  // no walk: prefetched
        BOOST_TEST(b.smmu.pipeline().iotlb().counters().hits == hits + 1);
    }));
}

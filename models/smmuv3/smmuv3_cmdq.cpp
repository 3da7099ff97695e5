// SMMUv3 command queue (IHI 0070 §4): a thread consumes commands between
// CMDQ_CONS and CMDQ_PROD, each read from memory and taking cmd_cycles.
// Invalidations remove exactly the entries the architecture names. A
// malformed or unsupported command stops the queue with CMDQ_CONS.ERR and
// GERROR.CMDQ_ERR until software acknowledges through GERRORN.
#include <algorithm>

#include "models/common/tlm/sc_time_util.h"
#include "models/smmuv3/smmuv3.h"

using namespace sc_core;

namespace iommusim::smmuv3 {

namespace {

// Address range [first, last] named by a TLBI by address (with or without
// the range fields TG/NUM/SCALE).
void tlbi_range(const Cmd& c, uint64_t addr, uint64_t& first, uint64_t& last) {
    if (c.TG() == TLBI_TG_NONE) {
        first = addr;
        last = addr;
        return;
    }
    const unsigned gshift = c.TG() == TLBI_TG_4K ? 12 : c.TG() == TLBI_TG_16K ? 14 : 16;
    const uint64_t pages = (c.NUM() + 1) << c.SCALE();
    first = addr & ~((uint64_t{1} << gshift) - 1);
    last = first + (pages << gshift) - 1;
}

bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1) { return a0 <= b1 && b0 <= a1; }

}  // namespace

void Smmuv3::cmdq_thread() {
    for (;;) {
        wait(cmdq_kick_);
        for (;;) {
            if (!Cr0{cr0_}.CMDQEN()) break;
            if (Gerror{gerror_ ^ gerrorn_}.CMDQ_ERR()) break;  // stopped until acknowledged
            const CmdqBase base{cmdq_base_};
            const unsigned log2 = std::min<unsigned>(static_cast<unsigned>(base.LOG2SIZE()), p_.cmdq_log2_max);
            const uint32_t wrap_mask = (uint32_t{2} << log2) - 1;  // index + wrap bit
            const uint32_t prod = static_cast<uint32_t>(CmdqProd{cmdq_prod_}.WR()) & wrap_mask;
            CmdqCons cons{cmdq_cons_};
            const uint32_t rd = static_cast<uint32_t>(cons.RD()) & wrap_mask;
            if (prod == rd) break;
            const uint32_t idx = rd & ((uint32_t{1} << log2) - 1);
            ps_t t = now_ps();
            const ps_t t_cmd = t;
            Cmd c;
            uint64_t err = CERROR_NONE;
            if (!mem_read(base.addr() + uint64_t{idx} * 16, c.dw, 16, t))
                err = CERROR_ABT;
            else
                err = execute(c, t);
            t += p_.cmd_cycles * period_;
            wait(from_ps(t - now_ps()));
            if (err != CERROR_NONE) {
                st_.command_errors++;
                cons.set_ERR(err);
                cmdq_cons_ = static_cast<uint32_t>(cons.value);
                // Make GERROR.CMDQ_ERR differ from GERRORN.CMDQ_ERR: active.
                Gerror g{gerror_};
                g.set_CMDQ_ERR(!Gerror{gerrorn_}.CMDQ_ERR());
                gerror_ = static_cast<uint32_t>(g.value);
                break;
            }
            st_.commands++;
            const uint8_t op = static_cast<uint8_t>(c.Opcode());
            if ((op >= CMD_CFGI_STE && op <= CMD_CFGI_CD_ALL) || (op >= CMD_TLBI_NH_ALL && op <= CMD_TLBI_NSNH_ALL)) {
                st_.invalidations++;
                st_.invalidation_ns.record(double(t - t_cmd) / 1000.0);
            }
            cons.set_RD((rd + 1) & wrap_mask);
            cmdq_cons_ = static_cast<uint32_t>(cons.value);
        }
    }
}

void Smmuv3::invalidate_tlb_va(const Cmd& c, bool by_asid, bool s2) {
    uint64_t first, last;
    tlbi_range(c, s2 ? c.ip_address() : c.address(), first, last);
    const uint16_t vmid = static_cast<uint16_t>(c.VMID());
    const uint32_t asid = static_cast<uint32_t>(c.ASID());
    // Entries of the kind and VMID (and of the ASID, or global, when by
    // ASID) whose page overlaps [first, last].
    TlbInvalidation inv;
    inv.match_kind = true;
    inv.kind = s2 ? TlbKind::S2 : TlbKind::S1;
    inv.match_vmid = true;
    inv.vmid = vmid;
    if (by_asid) {
        inv.asid_match = TlbInvalidation::Asid::OrGlobal;
        inv.asid = asid;
    }
    inv.match_range = true;
    inv.first = first;
    inv.last = last;
    pipe_.iotlb().invalidate(inv);
    if (!c.Leaf()) {
        // Non-leaf: also the walk-cache entries of tables that cover the range.
        const uint8_t stage = s2 ? 2 : 1;
        pipe_.walk_cache().invalidate_if([&](const WalkTag& tag, const WalkEntry&) {
            if (tag.stage != stage || tag.vmid != vmid) return false;
            if (by_asid && tag.asid != asid) return false;
            return overlaps(tag.base(), tag.last(), first, last);
        });
    }
}

uint64_t Smmuv3::execute(const Cmd& c, ps_t& t) {
    const uint8_t op = static_cast<uint8_t>(c.Opcode());
    const CmdBits defined = cmd_defined_bits(op);
    if (!defined.known || defined.res0_violation(c)) return CERROR_ILL;
    if (c.SSec()) return CERROR_ILL;  // Non-secure programming interface only
    const uint32_t sid = static_cast<uint32_t>(c.StreamID());
    const uint16_t vmid = static_cast<uint16_t>(c.VMID());
    const uint32_t asid = static_cast<uint32_t>(c.ASID());
    Iotlb& tlb = pipe_.iotlb();
    auto& wc = pipe_.walk_cache();

    switch (op) {
        case CMD_PREFETCH_CONFIG: {
            // Loads the configuration cache; errors are not reported.
            Resolved r;
            resolve(sid, c.SSV(), static_cast<uint32_t>(c.SubstreamID()), t, r);
            return CERROR_NONE;
        }
        case CMD_PREFETCH_ADDR: {
            Resolved r;
            resolve(sid, c.SSV(), static_cast<uint32_t>(c.SubstreamID()), t, r);
            if (r.outcome == Outcome::Translate) {
                Access a;
                a.addr = c.address();
                pipe_.translate(r.ctx, a, t);  // faults of a prefetch are not recorded
            }
            return CERROR_NONE;
        }
        case CMD_CFGI_STE:
            // The STE and every CD cached through it (their location derives from it).
            cfg_cache_.invalidate_if([&](const CfgTag& tag, const CfgEntry&) { return tag.sid == sid; });
            return CERROR_NONE;
        case CMD_CFGI_STE_RANGE: {
            const unsigned range = static_cast<unsigned>(c.Range());
            if (range >= CFGI_RANGE_ALL) {
                cfg_cache_.invalidate_all();
                return CERROR_NONE;
            }
            const uint64_t n = uint64_t{2} << range;  // 2^(Range+1) StreamIDs
            const uint64_t first = sid & ~(n - 1);
            cfg_cache_.invalidate_if(
                [&](const CfgTag& tag, const CfgEntry&) { return tag.sid >= first && tag.sid < first + n; });
            return CERROR_NONE;
        }
        case CMD_CFGI_CD: {
            const uint32_t ssid = static_cast<uint32_t>(c.SubstreamID());
            cfg_cache_.invalidate_if(
                [&](const CfgTag& tag, const CfgEntry&) { return tag.kind == 1 && tag.sid == sid && tag.ssid == ssid; });
            return CERROR_NONE;
        }
        case CMD_CFGI_CD_ALL:
            cfg_cache_.invalidate_if([&](const CfgTag& tag, const CfgEntry&) { return tag.kind == 1 && tag.sid == sid; });
            return CERROR_NONE;
        case CMD_TLBI_NH_ALL: {
            TlbInvalidation inv;  // stage-1 entries of the VMID
            inv.match_kind = true;
            inv.kind = TlbKind::S1;
            inv.match_vmid = true;
            inv.vmid = vmid;
            tlb.invalidate(inv);
            wc.invalidate_if([&](const WalkTag& tag, const WalkEntry&) { return tag.stage == 1 && tag.vmid == vmid; });
            return CERROR_NONE;
        }
        case CMD_TLBI_NH_ASID: {
            // Non-global entries of the ASID; global entries stay.
            TlbInvalidation inv;
            inv.match_kind = true;
            inv.kind = TlbKind::S1;
            inv.match_vmid = true;
            inv.vmid = vmid;
            inv.asid_match = TlbInvalidation::Asid::NonGlobal;
            inv.asid = asid;
            tlb.invalidate(inv);
            wc.invalidate_if([&](const WalkTag& tag, const WalkEntry&) {
                return tag.stage == 1 && tag.vmid == vmid && tag.asid == asid;
            });
            return CERROR_NONE;
        }
        case CMD_TLBI_NH_VA: invalidate_tlb_va(c, true, false); return CERROR_NONE;
        case CMD_TLBI_NH_VAA: invalidate_tlb_va(c, false, false); return CERROR_NONE;
        case CMD_TLBI_S2_IPA:
            if (!p_.stage2) return CERROR_ILL;
            invalidate_tlb_va(c, false, true);
            return CERROR_NONE;
        case CMD_TLBI_S12_VMALL: {
            if (!p_.stage2) return CERROR_ILL;
            TlbInvalidation inv;  // every entry of the VMID, both kinds
            inv.match_vmid = true;
            inv.vmid = vmid;
            tlb.invalidate(inv);
            wc.invalidate_if([&](const WalkTag& tag, const WalkEntry&) { return tag.vmid == vmid; });
            return CERROR_NONE;
        }
        case CMD_TLBI_NSNH_ALL:
            tlb.invalidate_all();
            wc.invalidate_all();
            return CERROR_NONE;
        case CMD_SYNC: {
            st_.syncs++;
            if (c.CS() == CS_SIG_IRQ && c.msi_address() != 0) {
                const uint32_t data = static_cast<uint32_t>(c.MSIData());
                mem_write(c.msi_address(), &data, 4, t);
            }
            return CERROR_NONE;
        }
        default:
            // TLBI_EL2_* (no SMMU_IDR0.Hyp), TLBI_EL3_* (Secure only), ATC_INV
            // (no ATS), PRI_RESP (no PRI), RESUME / STALL_TERM (terminate model
            // only): not supported by this SMMU, so illegal.
            return CERROR_ILL;
    }
}

}  // namespace iommusim::smmuv3

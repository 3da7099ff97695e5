// SMMUv3 configuration lookup: StreamID -> STE (linear or 2-level stream
// table) -> CD (linear or 2-level CD table, through stage 2 when nested),
// through the configuration cache, with the architected C_BAD_* / F_*_FETCH
// events for malformed or unreachable structures (IHI 0070 §5, §7.3).
#include <algorithm>

#include "models/smmuv3/smmuv3.h"

namespace iommusim::smmuv3 {

namespace {

Event base_event(uint8_t type, uint32_t sid, bool ssv, uint32_t ssid) {
    Event e;
    e.set_EventType(type);
    e.set_StreamID(sid);
    e.set_SSV(ssv);
    e.set_SubstreamID(ssv ? ssid : 0);
    return e;
}

// Configuration-cache set index: STEs index by StreamID; CDs by StreamID
// mixed with the SubstreamID, so the CDs of different streams spread over
// the sets like their STEs do.
uint64_t cd_set_index(uint32_t sid, uint32_t ssid) { return sid ^ (uint64_t{ssid} * 0x9E3779B1u); }

bool granule_from_shift(unsigned shift, vmsa::Granule& g) {
    switch (shift) {
        case 12: g = vmsa::Granule::G4K; return true;
        case 14: g = vmsa::Granule::G16K; return true;
        case 16: g = vmsa::Granule::G64K; return true;
        default: return false;
    }
}

}  // namespace

bool Smmuv3::decode_s2(const Ste& ste, StageContext& s2) const {
    s2 = StageContext{};
    if (!ste.S2AA64()) return false;  // AArch32 stage-2 tables are not modelled
    vmsa::Granule g;
    switch (ste.S2TG()) {
        case S2TG_4K: g = vmsa::Granule::G4K; if (!p_.gran4k) return false; break;
        case S2TG_16K: g = vmsa::Granule::G16K; if (!p_.gran16k) return false; break;
        case S2TG_64K: g = vmsa::Granule::G64K; if (!p_.gran64k) return false; break;
        default: return false;
    }
    unsigned ps_bits;
    if (!vmsa::decode_pa_size(static_cast<unsigned>(ste.S2PS()), ps_bits)) return false;
    s2.enabled = true;
    s2.cfg.stage = vmsa::Stage::S2;
    s2.cfg.granule = g;
    s2.cfg.tsz = static_cast<unsigned>(ste.S2T0SZ());
    s2.cfg.sl0 = static_cast<unsigned>(ste.S2SL0());
    s2.cfg.ttb = ste.s2ttb_addr();
    s2.cfg.oas_bits = std::min(ps_bits, p_.oas_bits);
    s2.cfg.affd = ste.S2AFFD();
    s2.cfg.ha = false;  // HTTU not implemented (SMMU_IDR0.HTTU = 0)
    return vmsa::start_level(s2.cfg, s2.start) != vmsa::Fault::BadConfig;
}

bool Smmuv3::decode_s1(const Cd& cd, TranslationContext& ctx) const {
    if (!cd.V() || !cd.AA64()) return false;  // AArch32 CDs are not modelled
    unsigned ips_bits;
    if (!vmsa::decode_pa_size(static_cast<unsigned>(cd.IPS()), ips_bits)) return false;
    const unsigned oas = std::min(ips_bits, p_.oas_bits);
    for (int i = 0; i < 2; ++i) {
        StageContext& sc = ctx.s1[i];
        sc = StageContext{};
        const bool epd = i == 0 ? cd.EPD0() : cd.EPD1();
        ctx.s1_table_valid[i] = !epd;
        const unsigned tsz = static_cast<unsigned>(i == 0 ? cd.T0SZ() : cd.T1SZ());
        sc.cfg.stage = vmsa::Stage::S1;
        sc.cfg.tsz = tsz;
        sc.cfg.oas_bits = oas;
        sc.cfg.ha = cd.HA() || cd.AFFD();
        if (epd) continue;
        const unsigned shift = i == 0 ? tg0_granule_shift(cd.TG0()) : tg1_granule_shift(cd.TG1());
        if (!granule_from_shift(shift, sc.cfg.granule)) return false;
        if ((sc.cfg.granule == vmsa::Granule::G4K && !p_.gran4k) ||
            (sc.cfg.granule == vmsa::Granule::G16K && !p_.gran16k) ||
            (sc.cfg.granule == vmsa::Granule::G64K && !p_.gran64k))
            return false;
        sc.cfg.ttb = i == 0 ? cd.ttb0_addr() : cd.ttb1_addr();
        sc.enabled = true;
        if (vmsa::start_level(sc.cfg, sc.start) == vmsa::Fault::BadConfig) return false;
    }
    ctx.asid = static_cast<uint32_t>(cd.ASID());
    return true;
}

bool Smmuv3::fetch_ste(uint32_t sid, Ste& ste, ps_t& t, Event& ev) {
    const StrtabBaseCfg cfg{strtab_base_cfg_};
    const uint64_t base = StrtabBase{strtab_base_}.addr();
    uint64_t addr;
    if (cfg.FMT() == STRTAB_FMT_2LEVEL && p_.two_level_stream_table) {
        const unsigned split = static_cast<unsigned>(cfg.SPLIT());
        const uint64_t l1_addr = base + (uint64_t{sid} >> split) * 8;
        L1Std l1;
        if (!mem_read(l1_addr, &l1.value, 8, t)) {
            ev = base_event(F_STE_FETCH, sid, false, 0);
            ev.set_FetchAddr(l1_addr >> 3);
            return false;
        }
        unsigned span = static_cast<unsigned>(l1.Span());
        // Span 0: the level-2 table is invalid; an index beyond 2^(Span-1)
        // STEs is out of range. Both are reported as C_BAD_STREAMID.
        if (span == 0) {
            ev = base_event(C_BAD_STREAMID, sid, false, 0);
            return false;
        }
        span = std::min(span, split + 1);
        const uint64_t idx = sid & ((uint64_t{1} << split) - 1);
        if (idx >= (uint64_t{1} << (span - 1))) {
            ev = base_event(C_BAD_STREAMID, sid, false, 0);
            return false;
        }
        addr = l1.l2ptr_addr() + idx * 64;
    } else if (cfg.FMT() == STRTAB_FMT_LINEAR || !p_.two_level_stream_table) {
        addr = base + uint64_t{sid} * 64;
    } else {
        ev = base_event(C_BAD_STREAMID, sid, false, 0);  // reserved FMT
        return false;
    }
    st_.ste_fetches++;
    if (!mem_read(addr, ste.dw, 64, t)) {
        ev = base_event(F_STE_FETCH, sid, false, 0);
        ev.set_FetchAddr(addr >> 3);
        return false;
    }
    return true;
}

bool Smmuv3::fetch_cd(const Ste& ste, const StageContext* s2, uint16_t vmid, uint32_t sid, uint32_t ssid,
                      Cd& cd, ps_t& t, Event& ev) {
    const bool ssv = ssid != 0 || ste.S1CDMax() != 0;
    TranslationContext s2ctx;
    if (s2) {
        s2ctx.s2 = *s2;
        s2ctx.vmid = vmid;
    }
    // Reads an IPA (nested) or PA; a stage-2 fault is reported with CLASS=CD.
    auto fetch = [&](uint64_t addr, void* dst, unsigned len) -> bool {
        uint64_t pa = addr;
        if (s2) {
            TranslateResult r = pipe_.translate_s2(s2ctx, addr, t, FaultClass::CD);
            if (!r.ok) {
                Access a;
                a.addr = addr;
                ev = make_fault_event(sid, ssv, ssid, r.fault, a);
                ev.set_InputAddr(0);
                return false;
            }
            pa = r.pa;
        }
        if (!mem_read(pa, dst, len, t)) {
            ev = base_event(F_CD_FETCH, sid, ssv, ssid);
            ev.set_FetchAddr(pa >> 3);
            return false;
        }
        return true;
    };
    const uint64_t ptr = ste.s1_context_ptr_addr();
    uint64_t addr;
    const uint64_t fmt = ste.S1Fmt();
    if (ste.S1CDMax() == 0 || fmt == S1FMT_LINEAR) {
        addr = ptr + uint64_t{ssid} * 64;
    } else {
        const unsigned split = fmt == S1FMT_4K_L2 ? 6 : 10;
        const uint64_t l1_addr = ptr + (uint64_t{ssid} >> split) * 8;
        L1Cd l1;
        if (!fetch(l1_addr, &l1.value, 8)) return false;
        if (!l1.V()) {
            ev = base_event(C_BAD_SUBSTREAMID, sid, ssv, ssid);
            return false;
        }
        addr = l1.l2ptr_addr() + (ssid & ((uint64_t{1} << split) - 1)) * 64;
    }
    st_.cd_fetches++;
    return fetch(addr, cd.dw, 64);
}

void Smmuv3::resolve(uint32_t sid, bool ssv, uint32_t ssid, ps_t& t, Resolved& r) {
    r.outcome = Outcome::Abort;
    r.record_s1 = r.record_s2 = r.abort_s1 = true;
    r.ctx.s1_enabled = false;
    r.ctx.s2.enabled = false;
    r.ctx.vmid = 0;
    r.ctx.asid = 0;
    auto fault = [&](uint8_t type) {
        r.outcome = Outcome::Fault;
        r.event = base_event(type, sid, ssv, ssid);
    };
    const StrtabBaseCfg cfg{strtab_base_cfg_};
    const unsigned log2size = std::min<unsigned>(static_cast<unsigned>(cfg.LOG2SIZE()), p_.sid_bits);
    if (log2size < 32 && (uint64_t{sid} >> log2size) != 0) return fault(C_BAD_STREAMID);

    const ps_t cc = p_.config_cache_latency_cycles * period_;
    t += cc;
    // `ste` points into the configuration cache on a hit (no fill happens
    // before its last use below), or at the freshly fetched copy.
    Ste& fetched = ste_scratch_;
    const Ste* ste_p = &fetched;
    StageContext s2ctx;
    const CfgTag ste_tag{sid, 0, 0};
    if (const CfgEntry* e = cfg_cache_.lookup(sid, ste_tag)) {
        ste_p = &e->ste;
        s2ctx = e->sc[0];
    } else {
        Ste& ste = fetched;
        Event ev;
        if (!fetch_ste(sid, ste, t, ev)) {
            r.outcome = Outcome::Fault;
            r.event = ev;
            return;
        }
        // Only well-formed STEs are cached.
        const uint64_t c = ste.Config();
        bool bad = !ste.V() || (c != STE_CONFIG_ABORT && c < STE_CONFIG_BYPASS);
        if (!bad && ste.s1_enabled())
            bad = !p_.stage1 || ste.S1Fmt() == 3 || (ste.S1Fmt() != S1FMT_LINEAR && !p_.two_level_cd) ||
                  ste.S1CDMax() > p_.ssid_bits;
        if (!bad && ste.s2_enabled()) bad = !p_.stage2 || !decode_s2(ste, s2ctx);
        if (bad) return fault(C_BAD_STE);
        CfgEntry ne;
        ne.ste = ste;
        ne.sc[0] = s2ctx;
        cfg_cache_.fill(sid, ste_tag, ne);
    }
    const Ste& ste = *ste_p;

    const uint64_t config = ste.Config();
    if (config == STE_CONFIG_ABORT) {
        r.outcome = Outcome::Abort;  // silently aborted, no event
        return;
    }
    if (config == STE_CONFIG_BYPASS) {
        if (ssv) return fault(C_BAD_SUBSTREAMID);
        r.outcome = Outcome::Bypass;
        return;
    }
    TranslationContext& ctx = r.ctx;
    ctx.vmid = static_cast<uint16_t>(ste.S2VMID());
    r.record_s2 = ste.S2R();
    if (ste.s2_enabled()) ctx.s2 = s2ctx;

    if (!ste.s1_enabled()) {
        if (ssv) return fault(C_BAD_SUBSTREAMID);
        r.outcome = Outcome::Translate;
        return;
    }

    // Stage 1: pick the CD.
    uint32_t cd_index = 0;
    const unsigned cdmax = static_cast<unsigned>(ste.S1CDMax());
    if (cdmax == 0) {
        if (ssv) return fault(C_BAD_SUBSTREAMID);
    } else if (!ssv) {
        switch (ste.S1DSS()) {
            case S1DSS_TERMINATE: return fault(F_STREAM_DISABLED);
            case S1DSS_BYPASS:
                r.outcome = ste.s2_enabled() ? Outcome::Translate : Outcome::Bypass;
                return;
            case S1DSS_SUBSTREAM0: cd_index = 0; break;
            default: return fault(C_BAD_STE);
        }
    } else {
        if ((uint64_t{ssid} >> cdmax) != 0) return fault(C_BAD_SUBSTREAMID);
        if (ssid == 0 && ste.S1DSS() == S1DSS_SUBSTREAM0) return fault(C_BAD_SUBSTREAMID);
        cd_index = ssid;
    }

    const CfgTag cd_tag{sid, cd_index, 1};
    t += cc;
    if (const CfgEntry* e = cfg_cache_.lookup(cd_set_index(sid, cd_index), cd_tag)) {
        r.record_s1 = e->cd_r;
        r.abort_s1 = e->cd_a;
        ctx.s1[0] = e->sc[0];
        ctx.s1[1] = e->sc[1];
        ctx.s1_table_valid[0] = e->table_valid[0];
        ctx.s1_table_valid[1] = e->table_valid[1];
        ctx.asid = e->asid;
    } else {
        Cd cd;
        Event ev;
        if (!fetch_cd(ste, ste.s2_enabled() ? &ctx.s2 : nullptr, ctx.vmid, sid, cd_index, cd, t, ev)) {
            ev.set_SSV(ssv);
            ev.set_SubstreamID(ssv ? ssid : 0);
            r.outcome = Outcome::Fault;
            r.event = ev;
            return;
        }
        if (!decode_s1(cd, ctx)) return fault(C_BAD_CD);
        r.record_s1 = cd.R();
        r.abort_s1 = cd.A();
        CfgEntry ne;
        ne.cd_r = cd.R();
        ne.cd_a = cd.A();
        ne.sc[0] = ctx.s1[0];
        ne.sc[1] = ctx.s1[1];
        ne.table_valid[0] = ctx.s1_table_valid[0];
        ne.table_valid[1] = ctx.s1_table_valid[1];
        ne.asid = ctx.asid;
        cfg_cache_.fill(cd_set_index(sid, cd_index), cd_tag, ne);
    }
    ctx.s1_enabled = true;
    r.outcome = Outcome::Translate;
    return;
}

}  // namespace iommusim::smmuv3

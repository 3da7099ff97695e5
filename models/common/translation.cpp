#include "models/common/translation.h"

#include <algorithm>

#include "models/common/pagetables/vmsa_desc.h"

namespace iommusim {

const char* fault_type_name(FaultType t) {
    switch (t) {
        case FaultType::None: return "none";
        case FaultType::Translation: return "translation";
        case FaultType::AddressSize: return "address_size";
        case FaultType::AccessFlag: return "access_flag";
        case FaultType::Permission: return "permission";
        case FaultType::WalkExtAbort: return "walk_external_abort";
    }
    return "?";
}

namespace {

struct WalkState {
    TranslationPipeline* self;
    const TranslationContext* ctx;
    ps_t* t;
    bool nested_s1;
    bool s2_faulted = false;
    TranslationFault s2fault;
    bool ext_abort = false;
    uint64_t abort_addr = 0;
};

FaultType from_vmsa(vmsa::Fault f) {
    switch (f) {
        case vmsa::Fault::None: return FaultType::None;
        case vmsa::Fault::AddressSize: return FaultType::AddressSize;
        case vmsa::Fault::AccessFlag: return FaultType::AccessFlag;
        case vmsa::Fault::Permission: return FaultType::Permission;
        case vmsa::Fault::ExternalAbort: return FaultType::WalkExtAbort;
        case vmsa::Fault::Translation:
        case vmsa::Fault::BadConfig: return FaultType::Translation;
    }
    return FaultType::Translation;
}

unsigned log2u(uint64_t v) { return 63u - static_cast<unsigned>(__builtin_clzll(v)); }

// Number of input-address bits below the table descriptor read at `level`.
unsigned bits_below(vmsa::Granule g, int level) {
    const unsigned shift = vmsa::granule_shift(g);
    return shift + static_cast<unsigned>(3 - level) * (shift - 3);
}

vmsa::Fault check_perms(const vmsa::WalkConfig& cfg, const vmsa::Perms& p, const Access& a) {
    return vmsa::check_perms(cfg, p, a.write, a.exec, a.privileged);
}

}  // namespace

TranslationPipeline::TranslationPipeline(const PipelineParams& p, DescriptorReader& mem)
    : p_(p),
      mem_(mem),
      iotlb_(p.iotlb),
      walk_cache_(p.walk_cache_geometry),
      tlb_ports_(p.iotlb_ports),
      walkers_(p.walk_slots) {}

bool TranslationPipeline::read_cb(void* st, uint64_t addr, uint64_t& desc) {
    auto* s = static_cast<WalkState*>(st);
    TranslationPipeline* self = s->self;
    uint64_t a = addr;
    if (s->nested_s1) {
        uint64_t pa = 0, size = 0;
        TranslationFault f;
        if (!self->s2_translate(*s->ctx, addr, false, false, *s->t, pa, size, f, FaultClass::TT)) {
            s->s2_faulted = true;
            s->s2fault = f;
            return false;
        }
        a = pa;
    }
    if (!self->mem_.read_desc(a, desc, *s->t)) {
        s->ext_abort = true;
        s->abort_addr = a;
        return false;
    }
    self->stats_.walk_reads++;
    return true;
}

vmsa::WalkResult TranslationPipeline::walk_stage(const TranslationContext& ctx, const StageContext& sc,
                                                 unsigned stage, uint64_t ia, ps_t& t, bool nested_s1) {
    stats_.walks++;
    (stage == 1 ? stats_.s1_walks : stats_.s2_walks)++;
    const ps_t t0 = t;
    WalkState st{this, &ctx, &t, nested_s1, false, {}, false, 0};
    const uint32_t asid = stage == 1 ? ctx.asid : 0;
    vmsa::WalkResult r;
    bool resumed = false;
    if (p_.walk_cache) {
        t += p_.walk_cache_latency_cycles * p_.clock_period_ps;
        for (int level = 2; level >= sc.start.level; --level) {
            WalkTag tag;
            tag.shift = static_cast<uint8_t>(bits_below(sc.cfg.granule, level));
            tag.ia_prefix = ia >> tag.shift;
            tag.asid = asid;
            tag.vmid = ctx.vmid;
            tag.level = static_cast<int8_t>(level);
            tag.stage = static_cast<uint8_t>(stage);
            if (const WalkEntry* e = walk_cache_.lookup(tag.ia_prefix, tag)) {
                r = vmsa::walk_from(sc.cfg, ia, level + 1, e->next_table, e->inherited, &read_cb, &st);
                resumed = true;
                break;
            }
        }
    }
    if (!resumed) r = vmsa::walk(sc.cfg, ia, &read_cb, &st);

    // Fill the walk cache with every table descriptor this walk read.
    if (p_.walk_cache) {
        for (unsigned i = 0; i < r.nsteps; ++i) {
            const vmsa::WalkStep& s = r.steps[i];
            if (!s.is_table) continue;
            WalkTag tag;
            tag.shift = static_cast<uint8_t>(bits_below(sc.cfg.granule, s.level));
            tag.ia_prefix = ia >> tag.shift;
            tag.asid = asid;
            tag.vmid = ctx.vmid;
            tag.level = static_cast<int8_t>(s.level);
            tag.stage = static_cast<uint8_t>(stage);
            WalkEntry e;
            e.next_table = s.next_table;
            e.inherited = s.inherited;
            walk_cache_.fill(tag.ia_prefix, tag, e);
        }
    }
    if (r.fault == vmsa::Fault::ExternalAbort && st.s2_faulted) {
        r.fault = vmsa::Fault::None;  // reported by the caller from s2fault
    }
    stats_.walk_ps += t - t0;
    s2_fault_pending_ = st.s2_faulted;
    if (st.s2_faulted) s2_fault_ = st.s2fault;
    abort_addr_ = st.abort_addr;
    return r;
}

bool TranslationPipeline::s2_translate(const TranslationContext& ctx, uint64_t ipa, bool write, bool exec,
                                       ps_t& t, uint64_t& pa, uint64_t& size, TranslationFault& f,
                                       FaultClass cls, vmsa::Perms* perms) {
    Access a;
    a.addr = ipa;
    a.write = write;
    a.exec = exec;
    a.privileged = false;
    auto fail = [&](FaultType ft) {
        f.type = ft;
        f.stage = 2;
        f.cls = cls;
        f.ipa = ipa;
        return false;
    };
    t = tlb_ports_.acquire(t, p_.clock_period_ps, now_) + p_.iotlb_latency_cycles * p_.clock_period_ps;
    TlbTag tag;
    if (const TlbEntry* e = iotlb_.lookup(TlbKind::S2, ctx.vmid, 0, ipa, &tag)) {
        if (check_perms(ctx.s2.cfg, e->s2perms, a) != vmsa::Fault::None) return fail(FaultType::Permission);
        size = uint64_t{1} << tag.size_log2;
        pa = e->oa_base | (ipa & (size - 1));
        if (perms) *perms = e->s2perms;
        return true;
    }
    vmsa::WalkResult r = walk_stage(ctx, ctx.s2, 2, ipa, t, false);
    if (r.fault != vmsa::Fault::None) {
        if (r.fault == vmsa::Fault::ExternalAbort) {
            f.fetch_addr = abort_addr_;
            f.type = FaultType::WalkExtAbort;
            f.stage = 2;
            f.cls = cls == FaultClass::IN ? FaultClass::TT : cls;
            f.ipa = ipa;
            return false;
        }
        return fail(from_vmsa(r.fault));
    }
    const vmsa::Fault pf = vmsa::check_access(ctx.s2.cfg, r, write, exec, false);
    if (pf == vmsa::Fault::AccessFlag) return fail(FaultType::AccessFlag);
    // A valid translation is cached even when this access lacks permission.
    TlbTag nt;
    nt.kind = TlbKind::S2;
    nt.vmid = ctx.vmid;
    nt.size_log2 = static_cast<uint8_t>(log2u(r.page_size));
    nt.vpn = ipa >> nt.size_log2;
    TlbEntry ne;
    ne.oa_base = r.oa & ~(r.page_size - 1);
    ne.s2perms = r.perms;
    ne.has_s2 = true;
    iotlb_.fill(nt, ne);
    if (pf != vmsa::Fault::None) return fail(from_vmsa(pf));
    size = r.page_size;
    pa = r.oa;
    if (perms) *perms = r.perms;
    return true;
}

TranslateResult TranslationPipeline::translate_s2(const TranslationContext& ctx, uint64_t ipa, ps_t& t,
                                                  FaultClass cls) {
    TranslateResult res;
    uint64_t size = 0;
    res.fault.input_addr = ipa;
    res.ok = s2_translate(ctx, ipa, false, false, t, res.pa, size, res.fault, cls);
    res.page_size = size;
    if (!res.ok) stats_.faults++;
    return res;
}

TranslateResult TranslationPipeline::translate(const TranslationContext& ctx, const Access& a, ps_t& t) {
    stats_.translations++;
    TranslateResult res;
    TranslationFault& f = res.fault;
    f.input_addr = a.addr;
    auto fail = [&](FaultType ft, unsigned stage, FaultClass cls) {
        f.type = ft;
        f.stage = stage;
        f.cls = cls;
        stats_.faults++;
        return res;
    };

    if (!ctx.s1_enabled && !ctx.s2.enabled) {
        res.ok = true;
        res.pa = a.addr;
        res.page_size = uint64_t{1} << 12;
        return res;
    }

    // IOTLB lookup.
    t = tlb_ports_.acquire(t, p_.clock_period_ps, now_) + p_.iotlb_latency_cycles * p_.clock_period_ps;
    const TlbKind kind = ctx.s1_enabled ? TlbKind::S1 : TlbKind::S2;
    TlbTag tag;
    if (const TlbEntry* e = iotlb_.lookup(kind, ctx.vmid, ctx.s1_enabled ? ctx.asid : 0, a.addr, &tag)) {
        if (e->has_s1 && check_perms(ctx.s1[0].cfg, e->s1perms, a) != vmsa::Fault::None)
            return fail(FaultType::Permission, 1, FaultClass::IN);
        if (e->has_s2 && check_perms(ctx.s2.cfg, e->s2perms, a) != vmsa::Fault::None) {
            f.ipa = e->ipa_base | (a.addr & ((uint64_t{1} << tag.size_log2) - 1));
            return fail(FaultType::Permission, 2, FaultClass::IN);
        }
        res.ok = true;
        res.iotlb_hit = true;
        res.page_size = uint64_t{1} << tag.size_log2;
        res.pa = e->oa_base | (a.addr & (res.page_size - 1));
        return res;
    }

    // Miss: take a walker slot for the whole walk.
    ps_t start;
    const unsigned slot = walkers_.reserve(t, now_, start);
    t = start;
    struct Release {
        TranslationPipeline& self;
        unsigned s;
        ps_t st;
        ps_t& t;
        ~Release() {
            self.walkers_.release(s, st, t);
            if (self.on_walk) self.on_walk(st, t);
        }
    } release{*this, slot, start, t};

    if (!ctx.s1_enabled) {
        uint64_t pa = 0, size = 0;
        if (!s2_translate(ctx, a.addr, a.write, a.exec, t, pa, size, f, FaultClass::IN)) {
            f.input_addr = a.addr;
            stats_.faults++;
            return res;
        }
        res.ok = true;
        res.pa = pa;
        res.page_size = size;
        return res;
    }

    // Stage 1: pick the translation table from the top input-address bits.
    const StageContext& s0 = ctx.s1[0];
    const unsigned ia_bits = 64 - s0.cfg.tsz;
    unsigned sel = 0;
    const uint64_t top0 = ia_bits >= 64 ? 0 : a.addr >> ia_bits;
    if (top0 != 0) {
        const unsigned ia1 = 64 - ctx.s1[1].cfg.tsz;
        const uint64_t top1 = ia1 >= 64 ? 0 : (~a.addr) >> ia1;
        if (top1 != 0 || !ctx.s1_table_valid[1]) return fail(FaultType::Translation, 1, FaultClass::IN);
        sel = 1;
    }
    if (!ctx.s1_table_valid[sel]) return fail(FaultType::Translation, 1, FaultClass::IN);
    const StageContext& sc = ctx.s1[sel];
    const uint64_t ia = a.addr & bits::mask(64 - sc.cfg.tsz);
    vmsa::WalkResult r1 = walk_stage(ctx, sc, 1, ia, t, ctx.s2.enabled);
    if (s2_fault_pending_) {
        const TranslationFault s2f = s2_fault_;
        f = s2f;
        f.input_addr = a.addr;
        f.s2_during_s1_walk = true;
        stats_.faults++;
        return res;
    }
    if (r1.fault != vmsa::Fault::None) {
        if (r1.fault == vmsa::Fault::ExternalAbort) {
            f.fetch_addr = abort_addr_;
            return fail(FaultType::WalkExtAbort, 1, FaultClass::TT);  // abort on a table fetch
        }
        return fail(from_vmsa(r1.fault), 1, FaultClass::IN);
    }
    const vmsa::Fault pf1 = vmsa::check_access(sc.cfg, r1, a.write, a.exec, a.privileged);
    if (pf1 == vmsa::Fault::AccessFlag) return fail(FaultType::AccessFlag, 1, FaultClass::IN);

    uint64_t pa = r1.oa, size = r1.page_size;
    TlbEntry ne;
    ne.has_s1 = true;
    ne.s1perms = r1.perms;
    if (ctx.s2.enabled) {
        if (pf1 != vmsa::Fault::None) return fail(from_vmsa(pf1), 1, FaultClass::IN);
        uint64_t s2size = 0;
        if (!s2_translate(ctx, r1.oa, a.write, a.exec, t, pa, s2size, f, FaultClass::IN, &ne.s2perms)) {
            f.input_addr = a.addr;
            stats_.faults++;
            return res;
        }
        size = std::min(size, s2size);
        ne.has_s2 = true;
        ne.ipa_base = r1.oa & ~(size - 1);
    }
    TlbTag nt;
    nt.kind = TlbKind::S1;
    nt.vmid = ctx.vmid;
    nt.global = !vmsa::VmsaDesc{r1.leaf_desc}.nG();
    nt.asid = nt.global ? 0 : ctx.asid;
    nt.size_log2 = static_cast<uint8_t>(log2u(size));
    nt.vpn = a.addr >> nt.size_log2;
    ne.oa_base = pa & ~(size - 1);
    iotlb_.fill(nt, ne);
    if (pf1 != vmsa::Fault::None) return fail(from_vmsa(pf1), 1, FaultClass::IN);
    res.ok = true;
    res.pa = pa;
    res.page_size = size;
    return res;
}

}  // namespace iommusim

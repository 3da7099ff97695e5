#include "models/smmuv3/smmuv3_driver.h"

#include <stdexcept>

#include "models/smmuv3/arch/regs.h"

using namespace sc_core;

namespace iommusim::smmuv3 {
using namespace reg;

namespace {
bool in_thread() {
    if (!sc_is_running()) return false;
    sc_process_handle h = sc_get_current_process_handle();
    return h.valid() && h.proc_kind() == SC_THREAD_PROC_;
}

unsigned stage2_sl0(vmsa::Granule g, int start_level) {
    if (g == vmsa::Granule::G4K) return static_cast<unsigned>(2 - start_level);
    return static_cast<unsigned>(3 - start_level);
}

int natural_start_level(vmsa::Granule g, unsigned ias) {
    const unsigned shift = vmsa::granule_shift(g), stride = shift - 3;
    const unsigned levels = (ias - shift + stride - 1) / stride;
    return 4 - static_cast<int>(levels);
}

}  // namespace

Smmuv3Driver::Smmuv3Driver(const sc_module_name& name, SparseMemory& mem, PhysAllocator& alloc,
                           const DriverParams& p)
    : sc_module(name), regs("regs"), mem_(mem), alloc_(alloc), p_(p) {}

void Smmuv3Driver::wait_for(const sc_time& d) {
    if (in_thread() && d != SC_ZERO_TIME) wait(d);
}

void Smmuv3Driver::reg_access(tlm::tlm_command cmd, uint32_t off, void* data, unsigned len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(off);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time d = SC_ZERO_TIME;
    regs->b_transport(tx, d);
    if (!tx.is_response_ok()) throw std::runtime_error("SMMU register access failed at offset " + std::to_string(off));
    wait_for(d);
}

uint32_t Smmuv3Driver::read32(uint32_t off) {
    uint32_t v = 0;
    reg_access(tlm::TLM_READ_COMMAND, off, &v, 4);
    return v;
}
uint64_t Smmuv3Driver::read64(uint32_t off) {
    uint64_t v = 0;
    reg_access(tlm::TLM_READ_COMMAND, off, &v, 8);
    return v;
}
void Smmuv3Driver::write32(uint32_t off, uint32_t v) { reg_access(tlm::TLM_WRITE_COMMAND, off, &v, 4); }
void Smmuv3Driver::write64(uint32_t off, uint64_t v) { reg_access(tlm::TLM_WRITE_COMMAND, off, &v, 8); }

void Smmuv3Driver::init() {
    // Stream table.
    StrtabBaseCfg cfg;
    cfg.set_LOG2SIZE(p_.sid_bits);
    if (p_.two_level && p_.sid_bits > p_.split) {
        const uint64_t l1_bytes = (uint64_t{1} << (p_.sid_bits - p_.split)) * 8;
        strtab_ = alloc_.alloc(l1_bytes, std::max<uint64_t>(64, l1_bytes));
        cfg.set_FMT(STRTAB_FMT_2LEVEL);
        cfg.set_SPLIT(p_.split);
    } else {
        const uint64_t bytes = (uint64_t{1} << p_.sid_bits) * 64;
        strtab_ = alloc_.alloc(bytes, bytes);
        cfg.set_FMT(STRTAB_FMT_LINEAR);
        p_.two_level = false;
    }
    StrtabBase sb;
    sb.set_addr(strtab_);
    sb.set_RA(1);
    write64(SMMU_STRTAB_BASE, sb.value);
    write32(SMMU_STRTAB_BASE_CFG, static_cast<uint32_t>(cfg.value));

    // Queues.
    const uint64_t cq_bytes = (uint64_t{1} << p_.cmdq_log2) * 16;
    cmdq_ = alloc_.alloc(cq_bytes, std::max<uint64_t>(32, cq_bytes));
    CmdqBase cb;
    cb.set_addr(cmdq_);
    cb.set_LOG2SIZE(p_.cmdq_log2);
    cb.set_RA(1);
    write64(SMMU_CMDQ_BASE, cb.value);
    write32(SMMU_CMDQ_PROD, 0);
    write32(SMMU_CMDQ_CONS, 0);
    const uint64_t eq_bytes = (uint64_t{1} << p_.eventq_log2) * 32;
    eventq_ = alloc_.alloc(eq_bytes, std::max<uint64_t>(32, eq_bytes));
    EventqBase eb;
    eb.set_addr(eventq_);
    eb.set_LOG2SIZE(p_.eventq_log2);
    write64(SMMU_EVENTQ_BASE, eb.value);
    write32(SMMU_EVENTQ_PROD, 0);
    write32(SMMU_EVENTQ_CONS, 0);

    Cr0 cr0;
    cr0.set_CMDQEN(1);
    cr0.set_EVENTQEN(1);
    write32(SMMU_CR0, static_cast<uint32_t>(cr0.value));
    cr0.set_SMMUEN(1);
    write32(SMMU_CR0, static_cast<uint32_t>(cr0.value));
    if (!Cr0{read32(SMMU_CR0ACK)}.SMMUEN()) throw std::runtime_error("SMMU did not acknowledge CR0.SMMUEN");
}

void Smmuv3Driver::set_gbpa_abort(bool abort) {
    Gbpa g{read32(SMMU_GBPA)};
    g.set_ABORT(abort);
    g.set_Update(1);
    write32(SMMU_GBPA, static_cast<uint32_t>(g.value));
}

uint64_t Smmuv3Driver::ste_addr(uint32_t sid) {
    if (!p_.two_level) return strtab_ + uint64_t{sid} * 64;
    const uint64_t l1 = strtab_ + (uint64_t{sid} >> p_.split) * 8;
    L1Std d{mem_.read64(l1)};
    if (d.Span() == 0) {
        const uint64_t bytes = (uint64_t{1} << p_.split) * 64;
        const uint64_t l2 = alloc_.alloc(bytes, bytes);
        d.set_l2ptr_addr(l2);
        d.set_Span(p_.split + 1);
        mem_.write64(l1, d.value);
    }
    return d.l2ptr_addr() + (sid & ((uint64_t{1} << p_.split) - 1)) * 64;
}

// ---- table memory for the page-table builders

vmsa::TableMemory Smmuv3Driver::table_memory(Domain* d, bool stage1) {
    vmsa::TableMemory m;
    m.ctx = d;
    m.read64 = [](void* c, uint64_t pa) { return static_cast<Domain*>(c)->drv->mem_.read64(pa); };
    m.write64 = [](void* c, uint64_t pa, uint64_t v) { static_cast<Domain*>(c)->drv->mem_.write64(pa, v); };
    m.alloc_table = stage1 ? [](void* c, uint64_t bytes) {
        Domain* dd = static_cast<Domain*>(c);
        return dd->drv->alloc_for(dd, bytes);
    }
                           : [](void* c, uint64_t bytes) {
                                 return static_cast<Domain*>(c)->drv->alloc_.alloc(bytes, bytes);
                             };
    return m;
}

uint64_t Smmuv3Driver::alloc_for(Domain* d, uint64_t bytes) {
    const uint64_t pa = alloc_.alloc(bytes, std::max<uint64_t>(bytes, 64));
    if (d->kind == DomainKind::Nested) {
        // The guest's tables live at IPA == PA: map them through stage 2.
        const uint64_t gran = uint64_t{1} << vmsa::granule_shift(d->granule);
        const uint64_t base = pa & ~(gran - 1);
        const uint64_t end = (pa + bytes + gran - 1) & ~(gran - 1);
        for (uint64_t a = base; a < end; a += gran) {
            vmsa::MapAttrs at;
            at.write = false;
            d->s2->map(a, a, gran, gran, at);  // refuses (harmlessly) if already mapped
        }
    }
    return pa;
}

Smmuv3Driver::Domain* Smmuv3Driver::create_domain(DomainKind kind, vmsa::Granule g, unsigned ias_bits,
                                                  unsigned ssid_log2) {
    auto d = std::make_unique<Domain>();
    d->drv = this;
    d->kind = kind;
    d->granule = g;
    d->ias_bits = ias_bits;
    d->cd_log2 = ssid_log2;
    if (kind != DomainKind::S2) d->asid = next_asid_++;
    if (kind != DomainKind::S1) d->vmid = next_vmid_++;
    if (kind != DomainKind::S1) {
        const int lvl = natural_start_level(g, kind == DomainKind::Nested ? 48 : ias_bits);
        const unsigned s2_ias = kind == DomainKind::Nested ? 48 : ias_bits;
        d->s2 = std::make_unique<vmsa::VmsaBuilder>(vmsa::Stage::S2, g, 64 - s2_ias, stage2_sl0(g, lvl),
                                                    table_memory(d.get(), false), 48);
    }
    if (kind != DomainKind::S2) {
        d->s1 = std::make_unique<vmsa::VmsaBuilder>(vmsa::Stage::S1, g, 64 - ias_bits, 0,
                                                    table_memory(d.get(), true), 48);
        const uint64_t ncd = uint64_t{1} << ssid_log2;
        if (ssid_log2 > 6) {
            const uint64_t l1_bytes = (ncd >> 6) * 8;
            d->cd_l1 = alloc_for(d.get(), l1_bytes);
        } else {
            d->cd_table = alloc_for(d.get(), ncd * 64);
        }
        for (uint64_t i = 0; i < std::min<uint64_t>(ncd, 64); ++i) write_cd(d.get(), static_cast<uint32_t>(i));
    }
    domains_.push_back(std::move(d));
    return domains_.back().get();
}

void Smmuv3Driver::write_cd(Domain* d, uint32_t ssid) {
    Cd cd;
    cd.set_V(1);
    cd.set_T0SZ(64 - d->ias_bits);
    cd.set_TG0(d->granule == vmsa::Granule::G4K ? TG0_4K : d->granule == vmsa::Granule::G16K ? TG0_16K : TG0_64K);
    cd.set_IR0(RGN_WBRAWA);
    cd.set_OR0(RGN_WBRAWA);
    cd.set_SH0(0b11);
    cd.set_EPD1(1);
    cd.set_IPS(oas_encoding(48));
    cd.set_AA64(1);
    cd.set_R(1);
    cd.set_A(1);
    cd.set_ASET(1);
    cd.set_ASID(d->asid);
    cd.set_ttb0_addr(d->s1->ttb());
    cd.set_mair(0x0404ff);
    uint64_t addr;
    if (d->cd_l1) {
        const uint64_t l1 = d->cd_l1 + (uint64_t{ssid} >> 6) * 8;
        L1Cd e{mem_.read64(l1)};
        if (!e.V()) {
            e.set_l2ptr_addr(alloc_for(d, 64 * 64));
            e.set_V(1);
            mem_.write64(l1, e.value);
        }
        addr = e.l2ptr_addr() + (ssid & 63) * 64;
    } else {
        addr = d->cd_table + uint64_t{ssid} * 64;
    }
    mem_.write(addr, cd.dw, 64);
}

void Smmuv3Driver::write_ste(uint32_t sid, const Ste& ste, bool sync) {
    const uint64_t a = ste_addr(sid);
    // Upper words first, then word 0 with V, as a driver must.
    mem_.write(a + 8, &ste.dw[1], 56);
    mem_.write64(a, ste.dw[0]);
    if (sync) {
        issue(cmd_cfgi_ste(sid, true));
        this->sync();
    }
}

void Smmuv3Driver::attach(uint32_t sid, Domain* d, bool sync) {
    Ste ste;
    ste.set_V(1);
    const bool s1 = d->kind != DomainKind::S2, s2 = d->kind != DomainKind::S1;
    ste.set_Config(s1 && s2 ? STE_CONFIG_NESTED : s1 ? STE_CONFIG_S1_TRANS : STE_CONFIG_S2_TRANS);
    if (s1) {
        ste.set_s1_context_ptr_addr(d->cd_l1 ? d->cd_l1 : d->cd_table);
        ste.set_S1Fmt(d->cd_l1 ? S1FMT_4K_L2 : S1FMT_LINEAR);
        ste.set_S1CDMax(d->cd_log2);
        ste.set_S1DSS(d->cd_log2 ? S1DSS_SUBSTREAM0 : S1DSS_TERMINATE);
        ste.set_S1CIR(RGN_WBRAWA);
        ste.set_S1COR(RGN_WBRAWA);
        ste.set_S1CSH(0b11);
    }
    if (s2) {
        ste.set_S2VMID(d->vmid);
        const vmsa::WalkConfig& c = d->s2->config();
        ste.set_S2T0SZ(c.tsz);
        ste.set_S2SL0(c.sl0);
        ste.set_S2TG(d->granule == vmsa::Granule::G4K ? S2TG_4K : d->granule == vmsa::Granule::G16K ? S2TG_16K
                                                                                                    : S2TG_64K);
        ste.set_S2PS(oas_encoding(48));
        ste.set_S2AA64(1);
        ste.set_S2R(1);
        ste.set_S2IR0(RGN_WBRAWA);
        ste.set_S2OR0(RGN_WBRAWA);
        ste.set_S2SH0(0b11);
        ste.set_s2ttb_addr(d->s2->ttb());
    }
    write_ste(sid, ste, sync);
    d->sids.push_back(sid);
}

void Smmuv3Driver::attach_bypass(uint32_t sid, bool sync) {
    Ste ste;
    ste.set_V(1);
    ste.set_Config(STE_CONFIG_BYPASS);
    write_ste(sid, ste, sync);
}

void Smmuv3Driver::attach_abort(uint32_t sid, bool sync) {
    Ste ste;
    ste.set_V(1);
    ste.set_Config(STE_CONFIG_ABORT);
    write_ste(sid, ste, sync);
}

void Smmuv3Driver::detach(uint32_t sid, bool sync) { write_ste(sid, Ste{}, sync); }

bool Smmuv3Driver::map(Domain* d, uint64_t iova, uint64_t pa, uint64_t size, uint64_t page_size,
                       const MapPerms& perms) {
    vmsa::MapAttrs a;
    a.read = perms.read;
    a.write = perms.write;
    a.exec = perms.exec;
    a.user = true;
    a.af = true;
    a.ng = true;
    switch (d->kind) {
        case DomainKind::S1: return d->s1->map(iova, pa, size, page_size, a);
        case DomainKind::S2: return d->s2->map(iova, pa, size, page_size, a);
        case DomainKind::Nested: {
            const uint64_t ipa = pa + kNestedIpaOffset;
            if (!d->s2->map(ipa, pa, size, page_size, a)) {
                // Guest memory stays mapped at stage 2 after unmap(): mapping
                // the same pages again maps only the missing granules (each
                // refuses, harmlessly, if already mapped, as in alloc_for()).
                const uint64_t gran = uint64_t{1} << vmsa::granule_shift(d->granule);
                if (((pa | size) & (gran - 1)) != 0 || size == 0) return false;
                for (uint64_t o = 0; o < size; o += gran) d->s2->map(ipa + o, pa + o, gran, gran, a);
            }
            return d->s1->map(iova, ipa, size, page_size, a);
        }
    }
    return false;
}

uint64_t Smmuv3Driver::unmap(Domain* d, uint64_t iova, uint64_t size, bool strict) {
    const uint64_t gran = uint64_t{1} << vmsa::granule_shift(d->granule);
    uint64_t n = 0;
    if (d->kind == DomainKind::S2) {
        n = d->s2->unmap(iova, size);
    } else {
        n = d->s1->unmap(iova, size);  // nested: the stage-2 mapping stays (guest memory)
    }
    if (!strict) return n;
    const uint64_t pages = size / gran;
    if (pages > 64) {
        flush_domain(d);
        return n;
    }
    for (uint64_t a = iova; a < iova + size; a += gran) {
        if (d->kind == DomainKind::S2)
            issue(cmd_tlbi_s2_ipa(d->vmid, a, true));
        else
            issue(cmd_tlbi_nh_va(d->vmid, d->asid, a, true));
        d->tlbi_cmds++;
    }
    d->sync_cmds++;
    sync();
    return n;
}

void Smmuv3Driver::flush_domain(Domain* d) {
    if (d->kind == DomainKind::S1)
        issue(cmd_tlbi_nh_asid(d->vmid, d->asid));
    else
        issue(cmd_tlbi_s12_vmall(d->vmid));
    d->tlbi_cmds++;
    d->sync_cmds++;
    sync();
}

void Smmuv3Driver::issue(const Cmd& c) {
    const uint32_t wrap_mask = (uint32_t{2} << p_.cmdq_log2) - 1;
    const uint32_t idx_mask = (uint32_t{1} << p_.cmdq_log2) - 1;
    // Wait while the queue is full.
    for (;;) {
        const uint32_t cons = static_cast<uint32_t>(CmdqCons{read32(SMMU_CMDQ_CONS)}.RD()) & wrap_mask;
        const bool full = (cons & idx_mask) == (cmdq_prod_ & idx_mask) && cons != cmdq_prod_;
        if (!full) break;
        if (!in_thread()) throw std::logic_error("command queue full outside an SC_THREAD");
        wait(sc_time(p_.poll_ns, SC_NS));
    }
    mem_.write(cmdq_ + uint64_t{cmdq_prod_ & idx_mask} * 16, c.dw, 16);
    cmdq_prod_ = (cmdq_prod_ + 1) & wrap_mask;
    write32(SMMU_CMDQ_PROD, cmdq_prod_);
    cmds_++;
}

void Smmuv3Driver::sync() {
    issue(cmd_sync_none());
    if (!in_thread()) throw std::logic_error("Smmuv3Driver::sync() must run in an SC_THREAD");
    const uint32_t wrap_mask = (uint32_t{2} << p_.cmdq_log2) - 1;
    for (;;) {
        const CmdqCons cons{read32(SMMU_CMDQ_CONS)};
        if ((static_cast<uint32_t>(cons.RD()) & wrap_mask) == cmdq_prod_) return;
        if (Gerror{read32(SMMU_GERROR) ^ read32(SMMU_GERRORN)}.CMDQ_ERR()) return;  // caller inspects
        wait(sc_time(p_.poll_ns, SC_NS));
    }
}

void Smmuv3Driver::sync_msi(uint64_t addr, uint32_t data) { issue(cmd_sync_msi(addr, data)); }

std::vector<Event> Smmuv3Driver::drain_events() {
    std::vector<Event> out;
    const uint32_t wrap_mask = (uint32_t{2} << p_.eventq_log2) - 1;
    const uint32_t idx_mask = (uint32_t{1} << p_.eventq_log2) - 1;
    const EventqProd prod{read32(SMMU_EVENTQ_PROD)};
    EventqCons cons{read32(SMMU_EVENTQ_CONS)};
    uint32_t rd = static_cast<uint32_t>(cons.RD()) & wrap_mask;
    const uint32_t wr = static_cast<uint32_t>(prod.WR()) & wrap_mask;
    while (rd != wr) {
        Event e;
        mem_.read(eventq_ + uint64_t{rd & idx_mask} * 32, e.dw, 32);
        out.push_back(e);
        rd = (rd + 1) & wrap_mask;
    }
    cons.set_RD(rd);
    cons.set_OVACKFLG(prod.OVFLG());
    write32(SMMU_EVENTQ_CONS, static_cast<uint32_t>(cons.value));
    return out;
}

}  // namespace iommusim::smmuv3

// SMMUv3: construction, register interface, memory access and the upstream
// DMA path. Configuration lookup is in smmuv3_config.cpp, commands in
// smmuv3_cmdq.cpp, events in smmuv3_eventq.cpp.
#include "models/smmuv3/smmuv3.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "models/common/tlm/dma_ext.h"
#include "models/common/tlm/sc_time_util.h"

using namespace sc_core;

namespace iommusim::smmuv3 {
using namespace reg;


Smmuv3::Smmuv3(const sc_module_name& name, const Smmuv3Params& p)
    : sc_module(name),
      in("in"),
      out("out"),
      regs("regs"),
      p_(p),
      period_(static_cast<ps_t>(std::llround(1e6 / p.clock_mhz))),
      pipe_([&] {
          PipelineParams pp = p.pipeline;
          pp.clock_period_ps = static_cast<ps_t>(std::llround(1e6 / p.clock_mhz));
          return pp;
      }(), *this),
      cfg_cache_(p.config_cache) {
    check_time_resolution();
    in.register_b_transport(this, &Smmuv3::b_transport);
    in.register_transport_dbg(this, &Smmuv3::transport_dbg);
    regs.register_b_transport(this, &Smmuv3::reg_transport);
    sid_map_ = [](uint16_t, uint16_t rid) { return static_cast<uint32_t>(rid); };
    build_idrs();
    SC_THREAD(cmdq_thread);
}

void Smmuv3::build_idrs() {
    Idr0 i0;
    i0.set_S1P(p_.stage1);
    i0.set_S2P(p_.stage2);
    i0.set_TTF(IDR0_TTF_AARCH64);
    i0.set_COHACC(1);
    i0.set_ASID16(1);
    i0.set_VMID16(1);
    i0.set_MSI(1);
    i0.set_CD2L(p_.two_level_cd);
    i0.set_TTENDIAN(IDR0_TTENDIAN_LE);
    i0.set_STALL_MODEL(IDR0_STALL_MODEL_TERM_ONLY);
    i0.set_TERM_MODEL(0);  // CD.A / RAZ-WI termination supported
    i0.set_ST_LEVEL(p_.two_level_stream_table ? IDR0_ST_LEVEL_2LVL : IDR0_ST_LEVEL_LINEAR);
    idr_[0] = static_cast<uint32_t>(i0.value);

    Idr1 i1;
    i1.set_SIDSIZE(p_.sid_bits);
    i1.set_SSIDSIZE(p_.ssid_bits);
    i1.set_EVENTQS(p_.eventq_log2_max);
    i1.set_CMDQS(p_.cmdq_log2_max);
    idr_[1] = static_cast<uint32_t>(i1.value);

    Idr5 i5;
    i5.set_OAS(oas_encoding(p_.oas_bits));
    i5.set_GRAN4K(p_.gran4k);
    i5.set_GRAN16K(p_.gran16k);
    i5.set_GRAN64K(p_.gran64k);
    idr_[5] = static_cast<uint32_t>(i5.value);
}

void Smmuv3::register_stats(StatsRegistry& reg, const std::string& pre) {
    add_cache_counters(reg, pre + ".iotlb", pipe_.iotlb().counters());
    add_cache_counters(reg, pre + ".config_cache", cfg_cache_.counters());
    add_cache_counters(reg, pre + ".walk_cache", pipe_.walk_cache().counters());
    const PipelineStats& ps = pipe_.stats();
    reg.add_counter(pre + ".walks", &ps.walks);
    reg.add_counter(pre + ".s1_walks", &ps.s1_walks);
    reg.add_counter(pre + ".s2_walks", &ps.s2_walks);
    reg.add_counter(pre + ".walk_reads", &ps.walk_reads);
    reg.add_value(pre + ".walk_reads_per_walk",
                  [&ps] { return ps.walks ? double(ps.walk_reads) / double(ps.walks) : 0.0; });
    reg.add_counter(pre + ".transactions", &st_.transactions);
    reg.add_counter(pre + ".bytes", &st_.bytes);
    reg.add_counter(pre + ".bypassed", &st_.bypassed);
    reg.add_counter(pre + ".aborted", &st_.aborted);
    reg.add_counter(pre + ".faults", &st_.faults);
    reg.add_counter(pre + ".ste_fetches", &st_.ste_fetches);
    reg.add_counter(pre + ".cd_fetches", &st_.cd_fetches);
    reg.add_counter(pre + ".commands", &st_.commands);
    reg.add_counter(pre + ".command_errors", &st_.command_errors);
    reg.add_counter(pre + ".syncs", &st_.syncs);
    reg.add_counter(pre + ".events", &st_.events);
    reg.add_counter(pre + ".events_lost", &st_.events_lost);
    for (unsigned type = 0; type < 256; ++type) {
        const std::string name = event_type_name(static_cast<uint8_t>(type));
        if (name.rfind("F_", 0) == 0 || name.rfind("C_", 0) == 0)
            reg.add_counter(pre + ".faults_by_type." + event_type_name(static_cast<uint8_t>(type)),
                            &st_.faults_by_type[type]);
    }
    reg.add_counter(pre + ".invalidations", &st_.invalidations);
    reg.add_histogram(pre + ".invalidation_ns", &st_.invalidation_ns);
    const TimelinePool& w = pipe_.walkers();
    reg.add_counter(pre + ".walker_waits", &w.waits_ref());
    reg.add_value(pre + ".walker_occupancy", [&w] {
        const double elapsed = double(now_ps()) * w.size();
        return elapsed > 0 ? double(w.busy_ps()) / elapsed : 0.0;
    });
}

// ---------------------------------------------------------------- memory

bool Smmuv3::mem_access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, ps_t& t) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    const ps_t now = now_ps();
    sc_time d = from_ps(t > now ? t - now : 0);
    out->b_transport(tx, d);
    t = now + to_ps(d);
    return tx.is_response_ok();
}

bool Smmuv3::mem_read(uint64_t addr, void* data, unsigned len, ps_t& t) {
    return mem_access(tlm::TLM_READ_COMMAND, addr, data, len, t);
}

bool Smmuv3::mem_write(uint64_t addr, const void* data, unsigned len, ps_t& t) {
    return mem_access(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(data), len, t);
}

bool Smmuv3::read_desc(uint64_t addr, uint64_t& value, ps_t& t) { return mem_read(addr, &value, 8, t); }

// ---------------------------------------------------------------- upstream

void Smmuv3::b_transport(int, tlm::tlm_generic_payload& tx, sc_time& delay) {
    DmaExtension* ext = nullptr;
    tx.get_extension(ext);
    const uint16_t seg = ext ? ext->segment : 0;
    const uint16_t rid = ext ? ext->rid.value : 0;
    const bool ssv = ext && ext->pasid_valid;
    const uint32_t ssid = ext ? ext->pasid : 0;
    const ps_t now = now_ps();
    pipe_.set_now(now);
    ps_t t = now + to_ps(delay);
    // Translation time: everything but the forwarded memory accesses.
    ps_t xlat = 0, mark = t;
    st_.transactions++;

    auto finish = [&](tlm::tlm_response_status status) {
        if (ext) {
            ext->translation_ps = xlat + (t - mark);
            ext->faulted = status != tlm::TLM_OK_RESPONSE;
        }
        delay = from_ps(t - now);
        tx.set_response_status(status);
    };
    auto forward = [&](uint64_t addr, unsigned char* data, unsigned len) {
        const uint64_t orig_addr = tx.get_address();
        unsigned char* orig_data = tx.get_data_ptr();
        const unsigned orig_len = tx.get_data_length();
        const unsigned orig_sw = tx.get_streaming_width();
        tx.set_address(addr);
        tx.set_data_ptr(data);
        tx.set_data_length(len);
        tx.set_streaming_width(len);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        xlat += t - mark;
        sc_time d = from_ps(t - now);
        out->b_transport(tx, d);
        t = now + to_ps(d);
        mark = t;
        const bool ok = tx.is_response_ok();
        tx.set_address(orig_addr);
        tx.set_data_ptr(orig_data);
        tx.set_data_length(orig_len);
        tx.set_streaming_width(orig_sw);
        return ok;
    };

    // SMMU disabled: GBPA decides.
    if (!Cr0{cr0_}.SMMUEN()) {
        if (Gbpa{gbpa_}.ABORT()) {
            st_.aborted++;
            if (ext) ext->fault = "GBPA_ABORT";
            return finish(tlm::TLM_GENERIC_ERROR_RESPONSE);
        }
        st_.bypassed++;
        if (ext) ext->output_addr = tx.get_address();
        const bool ok = forward(tx.get_address(), tx.get_data_ptr(), tx.get_data_length());
        st_.bytes += tx.get_data_length();
        return finish(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
    }

    const uint32_t sid = sid_map_(seg, rid);
    Resolved& r = res_;
    resolve(sid, ssv, ssid, t, r);
    switch (r.outcome) {
        case Outcome::Abort:
            st_.aborted++;
            if (ext) ext->fault = "ABORT";
            return finish(tlm::TLM_GENERIC_ERROR_RESPONSE);
        case Outcome::Fault:
            st_.faults++;
            record_event(r.event, t);
            st_.faults_by_type[static_cast<uint8_t>(r.event.EventType())]++;
            if (ext) ext->fault = r.event.type_name();
            return finish(tlm::TLM_GENERIC_ERROR_RESPONSE);
        case Outcome::Bypass: {
            st_.bypassed++;
            if (ext) ext->output_addr = tx.get_address();
            const bool ok = forward(tx.get_address(), tx.get_data_ptr(), tx.get_data_length());
            st_.bytes += tx.get_data_length();
            return finish(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_GENERIC_ERROR_RESPONSE);
        }
        case Outcome::Translate:
            break;
    }

    // Translate page by page: a DMA that crosses a page boundary is split.
    Access a;
    a.write = tx.is_write();
    a.privileged = ext && ext->privileged;
    a.exec = ext && ext->instruction;
    uint64_t ia = tx.get_address();
    unsigned char* data = tx.get_data_ptr();
    unsigned left = tx.get_data_length();
    while (left != 0) {
        a.addr = ia;
        TranslateResult res = pipe_.translate(r.ctx, a, t);
        if (!res.ok) {
            st_.faults++;
            const bool s2 = res.fault.stage == 2;
            const Event ev = make_fault_event(sid, ssv, ssid, res.fault, a);
            if (s2 ? r.record_s2 : r.record_s1) record_event(ev, t);
            st_.faults_by_type[static_cast<uint8_t>(ev.EventType())]++;
            if (ext) ext->fault = ev.type_name();
            if (!s2 && !r.abort_s1) {
                // CD.A == 0: the terminated transaction completes as RAZ/WI.
                if (tx.is_read()) std::memset(data, 0, left);
                return finish(tlm::TLM_OK_RESPONSE);
            }
            return finish(tlm::TLM_GENERIC_ERROR_RESPONSE);
        }
        if (ext && ia == tx.get_address()) {
            ext->translated = true;
            ext->output_addr = res.pa;
        }
        const uint64_t room = res.page_size - (ia & (res.page_size - 1));
        const unsigned n = static_cast<unsigned>(std::min<uint64_t>(left, room));
        if (!forward(res.pa, data, n)) return finish(tlm::TLM_GENERIC_ERROR_RESPONSE);
        st_.bytes += n;
        ia += n;
        data += n;
        left -= n;
    }
    return finish(tlm::TLM_OK_RESPONSE);
}

unsigned int Smmuv3::transport_dbg(int, tlm::tlm_generic_payload& tx) {
    // Debug accesses are untranslated (physical) by design.
    return out->transport_dbg(tx);
}

// ---------------------------------------------------------------- registers

void Smmuv3::reg_transport(tlm::tlm_generic_payload& tx, sc_time& delay) {
    const unsigned len = tx.get_data_length();
    const uint64_t off = tx.get_address();
    if ((len != 4 && len != 8) || (off & (len - 1)) != 0 || tx.get_byte_enable_ptr()) {
        tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    bool ok = true;
    if (tx.is_read()) {
        const uint64_t v = reg_read(static_cast<uint32_t>(off), len, ok);
        std::memcpy(tx.get_data_ptr(), &v, len);
    } else if (tx.is_write()) {
        uint64_t v = 0;
        std::memcpy(&v, tx.get_data_ptr(), len);
        reg_write(static_cast<uint32_t>(off), v, len, ok);
    }
    delay += from_ps(p_.reg_access_cycles * period_);
    // Unimplemented offsets are RAZ/WI, as the architecture's reserved space.
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    (void)ok;
}

uint64_t Smmuv3::reg_read(uint32_t off, unsigned len, bool& ok) {
    auto lo_hi = [&](uint64_t v, uint32_t base) -> uint64_t {
        if (len == 8) return v;
        return off == base ? (v & 0xffffffffu) : (v >> 32);
    };
    switch (off) {
        case SMMU_IDR0: return idr_[0];
        case SMMU_IDR1: return idr_[1];
        case SMMU_IDR2: return idr_[2];
        case SMMU_IDR3: return idr_[3];
        case SMMU_IDR4: return idr_[4];
        case SMMU_IDR5: return idr_[5];
        case SMMU_IIDR: return 0x0;
        case SMMU_AIDR: return 0x01;  // SMMUv3.1
        case SMMU_CR0: return cr0_;
        case SMMU_CR0ACK: return cr0_;
        case SMMU_CR1: return cr1_;
        case SMMU_CR2: return cr2_;
        case SMMU_STATUSR: return 0;
        case SMMU_GBPA: return gbpa_;
        case SMMU_IRQ_CTRL: return irq_ctrl_;
        case SMMU_IRQ_CTRLACK: return irq_ctrl_;
        case SMMU_GERROR: return gerror_;
        case SMMU_GERRORN: return gerrorn_;
        case SMMU_GERROR_IRQ_CFG0:
        case SMMU_GERROR_IRQ_CFG0 + 4: return lo_hi(gerror_irq_cfg0_, SMMU_GERROR_IRQ_CFG0);
        case SMMU_GERROR_IRQ_CFG1: return gerror_irq_cfg1_;
        case SMMU_GERROR_IRQ_CFG2: return gerror_irq_cfg2_;
        case SMMU_STRTAB_BASE:
        case SMMU_STRTAB_BASE + 4: return lo_hi(strtab_base_, SMMU_STRTAB_BASE);
        case SMMU_STRTAB_BASE_CFG: return strtab_base_cfg_;
        case SMMU_CMDQ_BASE:
        case SMMU_CMDQ_BASE + 4: return lo_hi(cmdq_base_, SMMU_CMDQ_BASE);
        case SMMU_CMDQ_PROD: return cmdq_prod_;
        case SMMU_CMDQ_CONS: return cmdq_cons_;
        case SMMU_EVENTQ_BASE:
        case SMMU_EVENTQ_BASE + 4: return lo_hi(eventq_base_, SMMU_EVENTQ_BASE);
        case SMMU_EVENTQ_PROD: return eventq_prod_;
        case SMMU_EVENTQ_CONS: return eventq_cons_;
        case SMMU_EVENTQ_IRQ_CFG0:
        case SMMU_EVENTQ_IRQ_CFG0 + 4: return lo_hi(eventq_irq_cfg0_, SMMU_EVENTQ_IRQ_CFG0);
        case SMMU_EVENTQ_IRQ_CFG1: return eventq_irq_cfg1_;
        case SMMU_EVENTQ_IRQ_CFG2: return eventq_irq_cfg2_;
        default: ok = false; return 0;
    }
}

void Smmuv3::reg_write(uint32_t off, uint64_t v, unsigned len, bool& ok) {
    auto set64 = [&](uint64_t& reg, uint32_t base) {
        if (len == 8)
            reg = v;
        else if (off == base)
            reg = (reg & ~uint64_t{0xffffffff}) | (v & 0xffffffff);
        else
            reg = (reg & 0xffffffff) | (v << 32);
    };
    const uint32_t v32 = static_cast<uint32_t>(v);
    const bool enabled = Cr0{cr0_}.SMMUEN();
    switch (off) {
        case SMMU_CR0: {
            const bool cmdq_was = Cr0{cr0_}.CMDQEN();
            cr0_ = v32;  // CR0ACK follows at once
            if (!cmdq_was && Cr0{cr0_}.CMDQEN()) cmdq_kick_.notify(SC_ZERO_TIME);
            break;
        }
        case SMMU_CR1:
            if (!enabled) cr1_ = v32;  // constrained: ignored while SMMUEN
            break;
        case SMMU_CR2: cr2_ = v32; break;
        case SMMU_GBPA: {
            Gbpa g{v32};
            if (g.Update()) {
                g.set_Update(0);  // the update completes immediately
                gbpa_ = static_cast<uint32_t>(g.value);
            }
            break;
        }
        case SMMU_IRQ_CTRL: irq_ctrl_ = v32; break;
        case SMMU_GERRORN: {
            const uint32_t was_pending = gerror_ ^ gerrorn_;
            gerrorn_ = v32;
            const uint32_t now_pending = gerror_ ^ gerrorn_;
            Gerror before{was_pending}, after{now_pending};
            if (before.CMDQ_ERR() && !after.CMDQ_ERR()) cmdq_kick_.notify(SC_ZERO_TIME);
            break;
        }
        case SMMU_GERROR_IRQ_CFG0:
        case SMMU_GERROR_IRQ_CFG0 + 4: set64(gerror_irq_cfg0_, SMMU_GERROR_IRQ_CFG0); break;
        case SMMU_GERROR_IRQ_CFG1: gerror_irq_cfg1_ = v32; break;
        case SMMU_GERROR_IRQ_CFG2: gerror_irq_cfg2_ = v32; break;
        case SMMU_STRTAB_BASE:
        case SMMU_STRTAB_BASE + 4:
            if (!enabled) set64(strtab_base_, SMMU_STRTAB_BASE);
            break;
        case SMMU_STRTAB_BASE_CFG:
            if (!enabled) strtab_base_cfg_ = v32;
            break;
        case SMMU_CMDQ_BASE:
        case SMMU_CMDQ_BASE + 4:
            if (!Cr0{cr0_}.CMDQEN()) set64(cmdq_base_, SMMU_CMDQ_BASE);
            break;
        case SMMU_CMDQ_PROD:
            cmdq_prod_ = v32;
            cmdq_kick_.notify(SC_ZERO_TIME);
            break;
        case SMMU_CMDQ_CONS:
            if (!Cr0{cr0_}.CMDQEN()) cmdq_cons_ = v32;
            break;
        case SMMU_EVENTQ_BASE:
        case SMMU_EVENTQ_BASE + 4:
            if (!Cr0{cr0_}.EVENTQEN()) set64(eventq_base_, SMMU_EVENTQ_BASE);
            break;
        case SMMU_EVENTQ_PROD:
            if (!Cr0{cr0_}.EVENTQEN()) eventq_prod_ = v32;
            break;
        case SMMU_EVENTQ_CONS: eventq_cons_ = v32; break;
        case SMMU_EVENTQ_IRQ_CFG0:
        case SMMU_EVENTQ_IRQ_CFG0 + 4: set64(eventq_irq_cfg0_, SMMU_EVENTQ_IRQ_CFG0); break;
        case SMMU_EVENTQ_IRQ_CFG1: eventq_irq_cfg1_ = v32; break;
        case SMMU_EVENTQ_IRQ_CFG2: eventq_irq_cfg2_ = v32; break;
        default: ok = false; break;
    }
}

}  // namespace iommusim::smmuv3

// The lockstep checker: every TLM IOTLB operation, as the observer sees it
// after the model performed it, is driven through the RTL ports (request
// handshake, wait for the response) and the responses are compared with the
// model's outcome. docs/rtl-cosim.md describes the mapping and what is
// compared.
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include <systemc>

#include "rtl-cosim/cosim_api.h"
#include "rtl-cosim/variants.h"

namespace iommusim::cosim {

namespace {

// Cycles the adapter waits for ready or for a response before calling the
// RTL hung.
constexpr unsigned kTimeoutCycles = 64;

// Page-size classes of the port (4 KiB granule): 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB.
int size_class(unsigned size_log2) {
    switch (size_log2) {
        case 12: return 0;
        case 21: return 1;
        case 30: return 2;
        default: return -1;
    }
}
unsigned size_log2_of_class(uint32_t c) { return c == 1 ? 21 : c == 2 ? 30 : 12; }
const char* size_name(unsigned size_log2) {
    switch (size_log2) {
        case 12: return "4K";
        case 21: return "2M";
        case 30: return "1G";
        default: return "?";
    }
}

uint32_t perm_bits(const vmsa::Perms& p) {
    return uint32_t{p.r} | uint32_t{p.w} << 1 | uint32_t{p.x_user} << 2 | uint32_t{p.x_priv} << 3 |
           uint32_t{p.user} << 4 | uint32_t{p.ns} << 5;
}
// perm[13:0] = {has_s2, has_s1, s2perms[5:0], s1perms[5:0]}.
uint32_t pack_perm(const TlbEntry& e) {
    return perm_bits(e.s1perms) | perm_bits(e.s2perms) << 6 | uint32_t{e.has_s1} << 12 | uint32_t{e.has_s2} << 13;
}

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%" PRIx64, v);
    return b;
}

std::string tag_text(bool s2, uint32_t vmid, uint32_t asid, bool global, unsigned size_log2, uint64_t va) {
    std::ostringstream o;
    o << (s2 ? "s2" : "s1") << " vmid " << vmid << (global ? " global" : " asid " + std::to_string(asid)) << " "
      << size_name(size_log2) << " va " << hex(va);
    return o.str();
}

std::string policy_text(uint32_t entries, uint32_t ways, ReplPolicy p) {
    return std::to_string(entries) + "/" + std::to_string(ways) + "/" + repl_policy_name(p);
}

const detail::CompiledVariant* find_variant(const CosimOptions& o, std::string& err) {
    const auto& all = detail::compiled_variants();
    std::string built;
    bool top_seen = false, variant_seen = false;
    for (const auto& v : all) {
        if (v.info.top != o.top) continue;
        top_seen = true;
        if (v.info.variant != o.variant && v.info.variant != "user") continue;
        variant_seen = true;
        if (!built.empty()) built += ", ";
        built += policy_text(v.info.entries, v.info.ways, v.info.policy);
        if (v.info.entries == o.geometry.entries && v.info.ways == o.geometry.ways &&
            v.info.policy == o.geometry.policy)
            return &v;
    }
    if (!top_seen) {
        std::string tops;
        for (const auto& v : all)
            if (tops.find("'" + v.info.top + "'") == std::string::npos) tops += (tops.empty() ? "'" : ", '") + v.info.top + "'";
        err = "no RTL top '" + o.top + "' is built into this binary (built: " + tops +
              "; a user top is added with the CMake cache variables IOMMUSIM_COSIM_RTL_SOURCES and "
              "IOMMUSIM_COSIM_RTL_TOP, docs/rtl-cosim.md)";
    } else if (!variant_seen) {
        err = "RTL top '" + o.top + "' has no variant '" + o.variant + "' in this binary";
    } else {
        err = "the RTL top '" + o.top + "' is not built for this IOTLB's entries/ways/policy " +
              policy_text(o.geometry.entries, o.geometry.ways, o.geometry.policy) + " (built: " + built + ")";
        if (o.top == "iommusim_iotlb")
            err += "; add '" + std::to_string(o.geometry.entries) + ":" + std::to_string(o.geometry.ways) + ":" +
                   repl_policy_name(o.geometry.policy) +
                   "' to the CMake cache variable IOMMUSIM_COSIM_GEOMETRIES and rebuild";
    }
    return nullptr;
}

class Checker final : public IotlbChecker {
public:
    Checker(const CosimOptions& o, const detail::CompiledVariant& v) : o_(o), rtl_(v.make(o.instance.c_str())) {}
    ~Checker() override { finish(); }

    const CosimStats& stats() const override { return st_; }
    const CosimOptions& options() const override { return o_; }
    void finish() override {
        if (rtl_) rtl_->close_trace();
    }

    void on_lookup(TlbKind kind, uint16_t vmid, uint32_t asid, uint64_t ia, const TlbEntry* hit, const TlbTag& tag,
                   uint32_t set, uint32_t way) override {
        if (!begin()) return;
        const bool s2 = kind == TlbKind::S2;
        auto what = [&] {
            return "lookup " + std::string(s2 ? "s2" : "s1") + " vmid " + std::to_string(vmid) + " asid " +
                   std::to_string(asid) + " va " + hex(ia);
        };
        if (asid > 0xffff) return unsupported(what(), "the ASID does not fit the port's 16 bits");
        RtlInputs& in = rtl_->in;
        in.lu_kind = s2;
        in.lu_vmid = vmid;
        in.lu_asid = asid;
        in.lu_va = ia;
        const RtlOutputs* r = transact(in.lu_valid, &RtlOutputs::lu_ready, &RtlOutputs::lu_rsp_valid, what);
        if (!r) return;
        std::string model, rtl;
        bool same = r->lu_rsp_hit == (hit != nullptr);
        if (hit) {
            const uint64_t size = uint64_t{1} << tag.size_log2;
            const uint64_t pa = hit->oa_base | (ia & (size - 1));
            model = "hit set " + std::to_string(set) + " way " + std::to_string(way) + " pa " + hex(pa) + " " +
                    size_name(tag.size_log2) + (tag.global ? " global" : "") + " perm " + hex(pack_perm(*hit));
            if (same)
                same = r->lu_rsp_pa == pa && size_log2_of_class(r->lu_rsp_size) == tag.size_log2 &&
                       r->lu_rsp_global == tag.global && r->lu_rsp_perm == pack_perm(*hit) && r->lu_rsp_set == set &&
                       r->lu_rsp_way == way;
        } else {
            model = "miss";
        }
        rtl = r->lu_rsp_hit ? "hit set " + std::to_string(r->lu_rsp_set) + " way " + std::to_string(r->lu_rsp_way) +
                                  " pa " + hex(r->lu_rsp_pa) + " " + size_name(size_log2_of_class(r->lu_rsp_size)) +
                                  (r->lu_rsp_global ? " global" : "") + " perm " + hex(r->lu_rsp_perm)
                            : "miss";
        st_.lookups++;
        end(same, what(), model, rtl);
    }

    void on_fill(const TlbTag& tag, const TlbEntry& e, const SetAssocCache<TlbTag, TlbEntry>::Fill& f) override {
        if (!begin()) return;
        const uint64_t va = tag.vpn << tag.size_log2;
        auto what = [&] {
            return "fill " + tag_text(tag.kind == TlbKind::S2, tag.vmid, tag.asid, tag.global, tag.size_log2, va) +
                   " -> oa " + hex(e.oa_base) + " perm " + hex(pack_perm(e));
        };
        const int cls = size_class(tag.size_log2);
        if (cls < 0)
            return unsupported(what(), "page size 2^" + std::to_string(tag.size_log2) +
                                           " is not one of the port's size classes (4K, 2M, 1G: 4 KiB granule)");
        if (tag.asid > 0xffff) return unsupported(what(), "the ASID does not fit the port's 16 bits");
        if ((e.oa_base >> 52) != 0 || (e.oa_base & 0xfff) != 0)
            return unsupported(what(), "the output page base is not a 52-bit, 4 KiB aligned address");
        RtlInputs& in = rtl_->in;
        in.fl_kind = tag.kind == TlbKind::S2;
        in.fl_global = tag.global;
        in.fl_vmid = tag.vmid;
        in.fl_asid = tag.asid;
        in.fl_size = static_cast<uint32_t>(cls);
        in.fl_va = va;
        in.fl_oa = e.oa_base;
        in.fl_perm = pack_perm(e);
        const RtlOutputs* r = transact(in.fl_valid, &RtlOutputs::fl_ready, &RtlOutputs::fl_rsp_valid, what);
        if (!r) return;
        std::string model = "placed set " + std::to_string(f.set) + " way " + std::to_string(f.way);
        if (f.evicted) {
            const TlbTag& v = f.victim_tag;
            model += ", evicted " + tag_text(v.kind == TlbKind::S2, v.vmid, v.asid, v.global, v.size_log2,
                                             v.vpn << v.size_log2);
        }
        const unsigned vsize = size_log2_of_class(r->fl_rsp_vsize);
        std::string rtl = "placed set " + std::to_string(r->fl_rsp_set) + " way " + std::to_string(r->fl_rsp_way);
        if (r->fl_rsp_evicted)
            rtl += ", evicted " + tag_text(r->fl_rsp_vkind, r->fl_rsp_vvmid, r->fl_rsp_vasid, r->fl_rsp_vglobal, vsize,
                                           r->fl_rsp_vva);
        bool same = r->fl_rsp_evicted == f.evicted && r->fl_rsp_set == f.set && r->fl_rsp_way == f.way;
        if (same && f.evicted) {
            const TlbTag& v = f.victim_tag;
            same = r->fl_rsp_vkind == (v.kind == TlbKind::S2) && r->fl_rsp_vglobal == v.global &&
                   r->fl_rsp_vvmid == v.vmid && r->fl_rsp_vasid == v.asid && vsize == v.size_log2 &&
                   r->fl_rsp_vva == (v.vpn << v.size_log2);
        }
        st_.fills++;
        end(same, what(), model, rtl);
    }

    void on_invalidate(const TlbInvalidation& inv, uint64_t removed) override {
        if (!begin()) return;
        auto what = [&] {
            std::string s = "invalidate";
            if (inv.all) return s + " all";
            s += !inv.match_kind ? " s1+s2" : inv.kind == TlbKind::S2 ? " s2" : " s1";
            if (inv.match_vmid) s += " vmid " + std::to_string(inv.vmid);
            if (inv.asid_match == TlbInvalidation::Asid::NonGlobal)
                s += " asid " + std::to_string(inv.asid) + " (non-global)";
            if (inv.asid_match == TlbInvalidation::Asid::OrGlobal)
                s += " asid " + std::to_string(inv.asid) + " (and global)";
            if (inv.match_range) s += " range [" + hex(inv.first) + ", " + hex(inv.last) + "]";
            return s;
        };
        if (inv.asid_match != TlbInvalidation::Asid::Any && inv.asid > 0xffff)
            return unsupported(what(), "the ASID does not fit the port's 16 bits");
        RtlInputs& in = rtl_->in;
        in.inv_all = inv.all;
        in.inv_match_kind = inv.match_kind;
        in.inv_kind = inv.kind == TlbKind::S2;
        in.inv_match_vmid = inv.match_vmid;
        in.inv_vmid = inv.vmid;
        in.inv_asid_mode = inv.asid_match == TlbInvalidation::Asid::Any         ? 0
                           : inv.asid_match == TlbInvalidation::Asid::NonGlobal ? 1
                                                                                 : 2;
        in.inv_asid = inv.asid;
        in.inv_match_range = inv.match_range;
        in.inv_first = inv.first;
        in.inv_last = inv.last;
        const RtlOutputs* r = transact(in.inv_valid, &RtlOutputs::inv_ready, &RtlOutputs::inv_rsp_valid, what);
        if (!r) return;
        st_.invalidations++;
        end(r->inv_rsp_count == removed, what(), std::to_string(removed) + " entries removed",
            std::to_string(r->inv_rsp_count) + " entries removed");
    }

    void on_invalidate_other(uint64_t removed) override {
        if (!begin()) return;
        unsupported("invalidate_if (" + std::to_string(removed) + " entries removed)",
                    "an invalidation by an arbitrary predicate has no RTL operation; use Iotlb::invalidate()");
    }

private:
    uint64_t now_ps() const { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); }

    // Counts the operation; false once checking has stopped. Resets the RTL
    // before its first operation (simulation has started: the waveform can
    // be opened).
    bool begin() {
        st_.operations++;
        if (st_.mismatches) return false;
        if (!started_) {
            started_ = true;
            rtl_->set_period(o_.clock_period_ps);
            if (!o_.trace_file.empty() && !rtl_->open_trace(o_.trace_file))
                std::cerr << "iommusim: " << o_.label << ": the RTL top '" << o_.top
                          << "' is built without tracing: no waveform written to " << o_.trace_file << "\n";
            rtl_->skip_to_cycle(now_ps() / o_.clock_period_ps);
            RtlInputs& in = rtl_->in;
            in = RtlInputs{};
            in.cfg_seed = o_.geometry.seed;
            in.rst_n = false;
            rtl_->cycle();
            rtl_->cycle();
            in.rst_n = true;
            rtl_->cycle();
            const RtlOutputs& out = rtl_->after_edge;
            if (out.info_entries != o_.geometry.entries || out.info_ways != o_.geometry.ways ||
                out.info_policy != static_cast<uint32_t>(o_.geometry.policy)) {
                end(false, "reset: info_entries / info_ways / info_policy (0 lru, 1 plru, 2 fifo, 3 random)",
                    std::to_string(o_.geometry.entries) + " / " + std::to_string(o_.geometry.ways) + " / " +
                        std::to_string(static_cast<unsigned>(o_.geometry.policy)) + " (the IOTLB's geometry)",
                    std::to_string(out.info_entries) + " / " + std::to_string(out.info_ways) + " / " +
                        std::to_string(out.info_policy) + " (the RTL was built for another geometry)");
                st_.rtl_cycles = rtl_->evaluated();
                return false;
            }
        }
        rtl_->skip_to_cycle(now_ps() / o_.clock_period_ps);
        return true;
    }

    // Raises `valid` until the RTL accepts (ready high before a rising edge),
    // then waits for the response pulse. nullptr (mismatch recorded) on a
    // timeout.
    template <typename What>
    const RtlOutputs* transact(bool& valid, bool RtlOutputs::*ready, bool RtlOutputs::*rsp, What what) {
        valid = true;
        unsigned n = 0;
        for (;;) {
            rtl_->cycle();
            if (rtl_->before_edge.*ready) break;
            if (++n == kTimeoutCycles) {
                valid = false;
                end(false, what(), "accepted", "not ready for " + std::to_string(kTimeoutCycles) + " cycles");
                return nullptr;
            }
        }
        valid = false;
        for (n = 0; !(rtl_->after_edge.*rsp); ++n) {
            if (n == kTimeoutCycles) {
                end(false, what(), "a response", "no response within " + std::to_string(kTimeoutCycles) + " cycles");
                return nullptr;
            }
            rtl_->cycle();
        }
        return &rtl_->after_edge;
    }

    void unsupported(const std::string& what, const std::string& why) {
        end(false, what, "(operation not expressible on the RTL ports)", why);
    }

    void end(bool same, const std::string& what, const std::string& model, const std::string& rtl) {
        st_.rtl_cycles = rtl_->evaluated();
        if (same) {
            st_.checked++;
            return;
        }
        st_.mismatches++;
        char t[64];
        std::snprintf(t, sizeof t, "%.3f ns", double(now_ps()) / 1000.0);
        std::ostringstream m;
        m << "operation #" << st_.operations << " at " << t << " (RTL cycle " << rtl_->cycles() << "): " << what
          << "\n  model: " << model << "\n  RTL:   " << rtl;
        st_.first_mismatch = m.str();
        std::cerr << "iommusim: co-simulation mismatch in " << o_.label << " (RTL top '" << o_.top << "'"
                  << (o_.variant != "reference" ? ", variant '" + o_.variant + "'" : std::string()) << "), "
                  << st_.first_mismatch << "\n  (checking stops here; the TLM simulation continues)\n";
    }

    CosimOptions o_;
    std::unique_ptr<RtlIotlbModel> rtl_;
    CosimStats st_;
    bool started_ = false;
};

}  // namespace

const std::vector<RtlVariantInfo>& rtl_variants() {
    static const std::vector<RtlVariantInfo> v = [] {
        std::vector<RtlVariantInfo> r;
        for (const auto& c : detail::compiled_variants()) r.push_back(c.info);
        return r;
    }();
    return v;
}

std::string check_cosim(const CosimOptions& o) {
    std::string err;
    find_variant(o, err);
    return err;
}

std::unique_ptr<IotlbChecker> make_iotlb_cosim(const CosimOptions& o) {
    std::string err;
    const detail::CompiledVariant* v = find_variant(o, err);
    if (!v) throw std::invalid_argument(err);
    return std::make_unique<Checker>(o, *v);
}

}  // namespace iommusim::cosim

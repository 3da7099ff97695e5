#include "platforms/audit.h"

#include <algorithm>
#include <iomanip>

#include "models/common/tlm/dma_ext.h"

using namespace sc_core;

namespace iommusim {

unsigned AuditReport::breaches() const {
    unsigned n = 0;
    for (const auto& p : probes) n += !p.faulted;
    return n;
}

Auditor::Auditor(const sc_module_name& name, Platform& p, const AuditOptions& o) : sc_module(name), p_(p), o_(o) {
    for (auto& io : p_.iommus()) {
        if (!io.smmu) {
            ports_.push_back(nullptr);  // not modelled: nothing to probe
            continue;
        }
        auto s = std::make_unique<tlm_utils::simple_initiator_socket<Auditor>>(("probe_" + io.cfg.name).c_str());
        s->bind(io.smmu->in);
        ports_.push_back(std::move(s));
    }
    SC_THREAD(run);
}

std::vector<uint64_t> Auditor::probe_addresses(const Platform::Device& d, std::vector<std::string>& kinds) {
    std::vector<uint64_t> out;
    const DeviceConfig& c = d.cfg;
    const uint64_t page = c.page_size;
    const uint64_t lo = c.iova, hi = (c.iova + c.buffer_size + page - 1) & ~(page - 1);  // mapped [lo, hi)
    const uint64_t top = c.ias_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << c.ias_bits);
    auto add = [&](uint64_t a, const char* k) {
        out.push_back(a);
        kinds.push_back(k);
    };
    if (lo >= 8) add(lo - 8, "guard_below");
    if (hi < top) add(hi, "guard_above");
    uint64_t x = o_.seed * 0x9E3779B97F4A7C15ull + c.rid.value;
    for (unsigned i = 0; i < o_.random_probes; ++i) {
        uint64_t a;
        do {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            a = ((x * 0x2545F4914F6CDD1Dull) % top) & ~uint64_t{7};
        } while (a >= lo && a < hi);
        add(a, "random_unmapped");
    }
    if (c.ias_bits < 64) {
        add(top, "beyond_aperture");
        add(top + 0x123000, "beyond_aperture");
    }
    add(0xffff'ffff'ffff'f000ull, "beyond_aperture");
    return out;
}

void Auditor::run() {
    wait(p_.started());
    AuditReport& r = report_;
    r.unsafe_noiommu = p_.iommus().empty();
    for (auto& io : p_.iommus()) {
        if (!io.smmu) {
            r.iommus.push_back({io.cfg.name, io.cfg.type, 0});  // aperture unknown: no model
            continue;
        }
        const auto& sp = io.smmu->params();
        // Stage 1 translates up to 48-bit input addresses (no 52-bit VA);
        // stage 2 up to the output address size.
        const unsigned ap = sp.stage1 ? 48u : sp.oas_bits;
        r.iommus.push_back({io.cfg.name, io.cfg.type, ap});
        r.min_aperture_bits = r.min_aperture_bits ? std::min(r.min_aperture_bits, ap) : ap;
    }
    for (auto& dp : p_.devices()) {
        Platform::Device& d = *dp;
        AuditReport::DeviceRow row;
        row.name = d.cfg.name;
        row.bdf = d.cfg.rid.str();
        row.path = d.cfg.bridge_bypass ? "bridge_bypass" : !d.iommu ? "no_iommu"
                   : d.cfg.translation == "bypass"                ? "iommu_bypass"
                                                                  : "translated";
        row.flagged = row.path != "translated";
        if (d.iommu) row.iommu = d.iommu->cfg.name;
        if (row.path == "translated" && !d.iommu->smmu) {
            row.unprobed = true;  // its IOMMU has no model yet
            r.unprobed++;
        } else if (row.path == "translated") {
            row.aperture_bits = d.cfg.ias_bits;
            size_t port = 0;
            for (size_t i = 0; i < p_.iommus().size(); ++i)
                if (&p_.iommus()[i] == d.iommu) port = i;
            std::vector<std::string> kinds;
            const std::vector<uint64_t> addrs = probe_addresses(d, kinds);
            tlm::tlm_generic_payload tx;
            DmaExtension ext;
            ext.segment = d.cfg.segment;
            ext.rid = d.cfg.rid;
            tx.set_extension(&ext);
            for (size_t i = 0; i < addrs.size(); ++i) {
                uint64_t data = 0;
                tx.set_command(tlm::TLM_READ_COMMAND);
                tx.set_address(addrs[i]);
                tx.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
                tx.set_data_length(8);
                tx.set_streaming_width(8);
                tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
                sc_time delay = SC_ZERO_TIME;
                (*ports_[port])->b_transport(tx, delay);
                wait(delay);
                AuditProbe pr{d.cfg.name, kinds[i], addrs[i], !tx.is_response_ok()};
                row.probes++;
                row.breaches += !pr.faulted;
                r.probes.push_back(pr);
            }
            tx.clear_extension(&ext);
        }
        r.devices.push_back(row);
    }
}

void write_audit(std::ostream& os, const AuditReport& r) {
    if (r.unsafe_noiommu)
        os << "UNSAFE: this platform has no IOMMU (unsafe_noiommu: true): every device reaches all memory "
              "(iova == phys)\n\n";
    os << "Devices\n";
    os << "  " << std::left << std::setw(14) << "name" << std::setw(9) << "bdf" << std::setw(15) << "path"
       << std::setw(10) << "iommu" << std::right << std::setw(9) << "aperture" << std::setw(8) << "probes"
       << std::setw(10) << "breaches" << "\n";
    for (const auto& d : r.devices) {
        os << "  " << std::left << std::setw(14) << d.name << std::setw(9) << d.bdf << std::setw(15) << d.path
           << std::setw(10) << (d.iommu.empty() ? "-" : d.iommu) << std::right << std::setw(9)
           << (d.aperture_bits ? std::to_string(d.aperture_bits) + "b" : "-") << std::setw(8) << d.probes
           << std::setw(10) << d.breaches;
        if (d.path == "bridge_bypass") os << "   FLAG: bypasses the IOMMU (bypass_iommu): trusted devices only";
        if (d.path == "iommu_bypass") os << "   FLAG: STE bypass: not isolated";
        if (d.path == "no_iommu") os << "   UNSAFE: no IOMMU";
        if (d.unprobed) os << "   NOT PROBED: no model of this IOMMU type yet";
        os << "\n";
    }
    os << "\nIOMMUs\n";
    for (const auto& i : r.iommus) {
        os << "  " << i.name << " (" << i.type << "): ";
        if (i.aperture_bits)
            os << "input address size " << i.aperture_bits << " bits\n";
        else
            os << "not modelled yet: aperture unknown, no probe\n";
    }
    if (r.min_aperture_bits) os << "  platform-wide minimum aperture: " << r.min_aperture_bits << " bits\n";
    const unsigned b = r.breaches();
    os << "\nProbe: " << r.probes.size() << " DMAs to unmapped or out-of-aperture addresses from translated devices; "
       << b << " reached memory\n";
    for (const auto& p : r.probes)
        if (!p.faulted)
            os << "  BREACH: " << p.device << " " << p.kind << " 0x" << std::hex << p.addr << std::dec
               << " reached memory\n";
    if (r.unprobed)
        os << r.unprobed << " translated device(s) not probed: their IOMMU type has no model yet\n";
    if (b)
        os << "RESULT: ISOLATION BREACH\n";
    else if (r.unsafe_noiommu)
        os << "RESULT: UNSAFE (no IOMMU)\n";
    else if (r.unprobed)
        os << "RESULT: NOT PROVEN (no breach among the probed devices; " << r.unprobed << " not probed)\n";
    else
        os << "RESULT: isolated\n";
}

}  // namespace iommusim

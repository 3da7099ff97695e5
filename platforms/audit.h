// The isolation audit: which devices are translated, which bypass, the
// IOMMUs' apertures, and an active probe proving that DMA from every
// translated device to unmapped or out-of-aperture addresses faults.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "platforms/platform.h"

namespace iommusim {

struct AuditOptions {
    unsigned random_probes = 64;  // per translated device
    uint64_t seed = 1;
};

struct AuditProbe {
    std::string device;
    std::string kind;        // guard_below | guard_above | random_unmapped | beyond_aperture
    uint64_t addr = 0;
    bool faulted = false;    // false = the DMA reached memory: an isolation breach
};

struct AuditReport {
    struct DeviceRow {
        std::string name, bdf, path, iommu;  // path: translated | iommu_bypass | bridge_bypass | no_iommu
        unsigned aperture_bits = 0;
        bool flagged = false;                // not isolated (bypass or no IOMMU)
        unsigned probes = 0, breaches = 0;
        bool unprobed = false;               // translated, but its IOMMU has no model yet
    };
    struct IommuRow {
        std::string name, type;
        unsigned aperture_bits = 0;          // largest input address size it translates
    };
    bool unsafe_noiommu = false;
    std::vector<DeviceRow> devices;
    std::vector<IommuRow> iommus;
    unsigned min_aperture_bits = 0;          // across modelled IOMMUs (0: none)
    unsigned unprobed = 0;                   // translated devices that could not be probed
    std::vector<AuditProbe> probes;
    unsigned breaches() const;
};

// Adds a prober to the platform (before sc_start); run the simulation, then
// call result().
class Auditor : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Auditor);
    Auditor(const sc_core::sc_module_name& name, Platform& p, const AuditOptions& o);
    const AuditReport& result() const { return report_; }

private:
    void run();
    std::vector<uint64_t> probe_addresses(const Platform::Device& d, std::vector<std::string>& kinds);

    Platform& p_;
    AuditOptions o_;
    std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<Auditor>>> ports_;  // one per IOMMU
    AuditReport report_;
};

void write_audit(std::ostream& os, const AuditReport& r);

}  // namespace iommusim

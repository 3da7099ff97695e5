// A platform built from a PlatformConfig: memory, IOMMUs with their
// host-software drivers, and DMA generators. A host thread programs every
// IOMMU through its driver at time 0 (as an OS would at boot), maps each
// device's buffer, and then starts the traffic.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/common/phys_alloc.h"
#include "models/common/stats.h"
#include "models/common/tlm/memory.h"
#include "models/smmuv3/smmuv3.h"
#include "models/smmuv3/smmuv3_driver.h"
#include "platforms/platform_config.h"
#include "rtl-cosim/cosim_api.h"
#include "traffic/dma_generator.h"
#include "models/common/host_mapper.h"

namespace iommusim {

class Platform : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(Platform);
    Platform(const sc_core::sc_module_name& name, const PlatformConfig& cfg);

    struct Iommu {
        IommuConfig cfg;
        std::unique_ptr<smmuv3::Smmuv3> smmu;
        std::unique_ptr<smmuv3::Smmuv3Driver> driver;
        std::unique_ptr<cosim::IotlbChecker> cosim;  // iotlb.cosim: rtl (observes smmu's IOTLB)
    };
    struct Device {
        DeviceConfig cfg;
        Iommu* iommu = nullptr;  // nullptr: reaches memory directly
        std::unique_ptr<DmaInitiator> gen;  // the device's traffic generator
        uint64_t buffer_pa = 0;
        smmuv3::Smmuv3Driver::Domain* domain = nullptr;  // translated devices
        std::unique_ptr<HostMapper> mapper;  // ring / storage on a translated device
        std::string setup_error;
    };

    const PlatformConfig& config() const { return cfg_; }
    Memory& memory() { return *mem_; }
    std::vector<Iommu>& iommus() { return iommus_; }
    std::vector<std::unique_ptr<Device>>& devices() { return devices_; }
    StatsRegistry& stats() { return stats_; }
    bool setup_done() const { return setup_done_; }
    // Notified when the host software has set everything up (traffic starts).
    const sc_core::sc_event& started() const { return start_; }
    // Called in the host thread after set-up, before traffic starts (tests use
    // it to change tables behind the driver's back).
    std::function<void(Platform&)> after_setup;

private:
    void host_setup();

    PlatformConfig cfg_;
    std::unique_ptr<Memory> mem_;
    PhysAllocator alloc_;
    std::vector<Iommu> iommus_;
    std::vector<std::unique_ptr<Device>> devices_;
    StatsRegistry stats_;
    std::vector<std::unique_ptr<sc_core::sc_module>> placeholders_;  // binds IOMMUs without devices
    sc_core::sc_event start_;
    bool setup_done_ = false;
};

}  // namespace iommusim

#include "platforms/platform.h"

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <memory>
#include <set>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/common/tlm/sc_time_util.h"
#include "models/smmuv3/smmuv3_mapper.h"
#include "traffic/ring_generator.h"
#include "traffic/storage_generator.h"
#include "traffic/trace_generator.h"

using namespace sc_core;

namespace iommusim {

namespace {

struct UnusedInitiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<UnusedInitiator> out;
    explicit UnusedInitiator(const sc_core::sc_module_name& n) : sc_module(n), out("out") {}
};
vmsa::Granule granule_of(const std::string& g) {
    return g == "64k" ? vmsa::Granule::G64K : g == "16k" ? vmsa::Granule::G16K : vmsa::Granule::G4K;
}
}  // namespace

Platform::Platform(const sc_module_name& name, const PlatformConfig& cfg)
    : sc_module(name), cfg_(cfg), alloc_(cfg.alloc_base, cfg.alloc_size) {
    check_time_resolution();
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(cfg_.quantum_ns, SC_NS));
    mem_ = std::make_unique<Memory>("memory", cfg_.memory);
    for (const Preload& pl : cfg_.preload) {  // a captured system's memory image
        std::ifstream f(pl.file, std::ios::binary);
        std::vector<char> chunk(1 << 20);
        uint64_t at = pl.address;
        while (f) {
            f.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto n = static_cast<uint64_t>(f.gcount());
            if (n == 0) break;
            mem_->backdoor().write(at, chunk.data(), n);
            at += n;
        }
        if (at - pl.address != pl.size) throw std::runtime_error("cannot read " + pl.file);
    }
    iommus_.reserve(cfg_.iommus.size());
    for (const auto& ic : cfg_.iommus) {
        Iommu io;
        io.cfg = ic;
        if (!ic.modelled) {  // no model yet: firmware tables and the audit's static part only
            iommus_.push_back(std::move(io));
            continue;
        }
        io.smmu = std::make_unique<smmuv3::Smmuv3>(ic.name.c_str(), ic.smmu);
        io.driver = std::make_unique<smmuv3::Smmuv3Driver>((ic.name + "_driver").c_str(), mem_->backdoor(),
                                                           alloc_, ic.driver);
        io.smmu->out.bind(mem_->in);
        io.driver->regs.bind(io.smmu->regs);
        io.smmu->register_stats(stats_, "iommus." + ic.name);
        if (ic.cosim.enabled) {
#if IOMMUSIM_HAVE_COSIM
            cosim::CosimOptions o;
            o.instance = ic.name + "_iotlb_rtl";
            o.label = ic.name + "'s IOTLB";
            o.top = ic.cosim.top;
            o.variant = ic.cosim.variant;
            o.geometry = ic.smmu.pipeline.iotlb;
            o.clock_period_ps = io.smmu->pipeline().params().clock_period_ps;
            o.trace_file = ic.cosim.trace;
            io.cosim = cosim::make_iotlb_cosim(o);
            io.smmu->pipeline().iotlb().set_observer(io.cosim.get());
#else
            throw std::runtime_error(ic.name + ": iotlb.cosim: rtl, but this iommusim is built without co-simulation");
#endif
        }
        // StreamID = the firmware view's ID mapping of the requester ID.
        auto sids = std::make_shared<std::vector<uint32_t>>(0x10000);
        for (uint32_t rid = 0; rid < 0x10000; ++rid)
            (*sids)[rid] = pci::route(cfg_.firmware, ic.segment, static_cast<uint16_t>(rid)).stream_id;
        io.smmu->set_stream_id_map([sids](uint16_t, uint16_t rid) { return (*sids)[rid]; });
        iommus_.push_back(std::move(io));
    }
    for (const auto& dc : cfg_.devices) {
        auto d = std::make_unique<Device>();
        d->cfg = dc;
        if (dc.iommu >= 0) d->iommu = &iommus_[static_cast<size_t>(dc.iommu)];
        const uint64_t granule = uint64_t{1} << vmsa::granule_shift(granule_of(dc.granule));
        if (dc.traffic.pattern == "trace")
            d->gen = std::make_unique<TraceGenerator>(dc.name.c_str(), dc.traffic.trace, dc.rid, dc.segment,
                                                      dc.traffic.outstanding, start_, dc.traffic.idle);
        else if (dc.traffic.pattern == "ring")
            d->gen = std::make_unique<RingGenerator>(dc.name.c_str(), dc.traffic, dc.rid, dc.segment, dc.iova,
                                                     dc.buffer_size, granule, start_);
        else if (dc.traffic.pattern == "storage")
            d->gen = std::make_unique<StorageGenerator>(dc.name.c_str(), dc.traffic, dc.rid, dc.segment, dc.iova,
                                                        dc.buffer_size, granule, start_);
        else
            d->gen = std::make_unique<DmaGenerator>(dc.name.c_str(), dc.traffic, dc.rid, dc.segment, dc.iova,
                                                    dc.buffer_size, start_);
        if (d->iommu && d->iommu->smmu)
            d->gen->out.bind(d->iommu->smmu->in);
        else
            d->gen->out.bind(mem_->in);
        d->gen->register_stats(stats_, "devices." + dc.name);
        devices_.push_back(std::move(d));
    }
    // An IOMMU no device routes to (e.g. in a --baseline-bypass run) still
    // needs its upstream socket bound: a placeholder that never issues.
    for (auto& io : iommus_) {
        if (!io.smmu) continue;
        bool used = false;
        for (const auto& d : devices_) used |= d->iommu == &io;
        if (used) continue;
        auto port = std::make_unique<UnusedInitiator>((io.cfg.name + "_no_devices").c_str());
        port->out.bind(io.smmu->in);
        placeholders_.push_back(std::move(port));
    }
    SC_THREAD(host_setup);
}

void Platform::host_setup() {
    for (auto& io : iommus_) {
        if (!io.driver) continue;
        if (!io.cfg.captured) {
            io.driver->init();
            continue;
        }
        // A captured system: the driver's last register writes, in order.
        for (const auto& w : io.cfg.registers) {
            if (w.bytes == 8)
                io.driver->write64(w.offset, w.value);
            else
                io.driver->write32(w.offset, static_cast<uint32_t>(w.value));
        }
    }
    for (auto& d : devices_) {
        const DeviceConfig& c = d->cfg;
        // Behind a captured IOMMU: no buffer, no mapping (the preloaded tables decide).
        if (d->iommu && d->iommu->cfg.captured) continue;
        // Device buffer in physical memory, aligned to its page size.
        d->buffer_pa = alloc_.alloc(c.buffer_size, std::max<uint64_t>(c.page_size, 4096));
        // Ring / storage: the generator maps and unmaps through the host
        // driver itself (untranslated: no mapper, iova == pa).
        auto* driven = dynamic_cast<HostDrivenInitiator*>(d->gen.get());
        if (driven) driven->attach_host(nullptr, d->buffer_pa);
        if (!d->iommu || !d->iommu->driver) continue;
        smmuv3::Smmuv3Driver& drv = *d->iommu->driver;
        const uint32_t sid = c.stream_id;
        if (c.translation == "bypass") {
            drv.attach_bypass(sid);
            continue;
        }
        const smmuv3::DomainKind kind = c.translation == "s2"       ? smmuv3::DomainKind::S2
                                        : c.translation == "nested" ? smmuv3::DomainKind::Nested
                                                                    : smmuv3::DomainKind::S1;
        // A PASID needs a CD table covering it (every substream shares the
        // domain's address space: one ASID, one set of tables).
        // The PASIDs the device uses (its pattern's, or its trace records');
        // the driver enables those the SMMU supports (ssid_bits).
        std::set<uint32_t> pasids;
        if (c.traffic.pasid_valid) pasids.insert(c.traffic.pasid);
        if (c.traffic.trace)
            for (const auto& r : *c.traffic.trace)
                if (r.pasid_valid && r.rid == c.rid.value && r.segment == c.segment) pasids.insert(r.pasid);
        const unsigned ssid_bits = d->iommu->cfg.smmu.ssid_bits;
        unsigned ssid_log2 = 0;
        for (uint32_t p : pasids)
            while (ssid_log2 < ssid_bits && (uint64_t{p} >> ssid_log2) != 0) ++ssid_log2;
        if (!pasids.empty() && ssid_log2 == 0 && ssid_bits > 0) ssid_log2 = 1;
        if (kind == smmuv3::DomainKind::S2) ssid_log2 = 0;  // no CDs: a PASID gets C_BAD_SUBSTREAMID
        auto* dom = drv.create_domain(kind, granule_of(c.granule), c.ias_bits, ssid_log2);
        d->domain = dom;
        for (uint32_t p : pasids)
            if (p >= 64 && (uint64_t{p} >> ssid_log2) == 0) drv.write_substream_cd(dom, p);
        if (driven) {
            d->mapper = std::make_unique<Smmuv3Mapper>(drv, dom, c.page_size);
            driven->attach_host(d->mapper.get(), d->buffer_pa);
        } else if (!drv.map(dom, c.iova, d->buffer_pa, c.buffer_size, c.page_size)) {
            d->setup_error = "mapping the buffer failed";
        }
        drv.attach(sid, dom);
    }
    if (after_setup) after_setup(*this);
    setup_done_ = true;
    start_.notify(SC_ZERO_TIME);
}

}  // namespace iommusim

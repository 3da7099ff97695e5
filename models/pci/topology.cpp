#include "models/pci/topology.h"

#include <algorithm>
#include <map>
#include <set>

namespace iommusim::pci {

const char* machine_name(Machine m) {
    switch (m) {
        case Machine::Q35: return "q35";
        case Machine::Virt: return "virt";
        case Machine::Generic: return "generic";
    }
    return "?";
}

bool parse_machine(const std::string& s, Machine& out) {
    if (s == "q35") out = Machine::Q35;
    else if (s == "virt") out = Machine::Virt;
    else if (s == "generic") out = Machine::Generic;
    else return false;
    return true;
}

std::vector<BusRange> bus_ranges(const Topology& t) {
    std::vector<BusRange> out(t.bridges.size());
    for (size_t i = 0; i < t.bridges.size(); ++i) {
        const HostBridge& b = t.bridges[i];
        unsigned last = 0xff;
        if (b.bus_count != 0) {
            last = std::min<unsigned>(0xff, b.bus_nr + b.bus_count - 1);
        } else {
            // Up to the next bridge (by root bus number) on the same segment.
            for (const HostBridge& o : t.bridges)
                if (&o != &b && o.segment == b.segment && o.bus_nr > b.bus_nr)
                    last = std::min<unsigned>(last, o.bus_nr - 1u);
        }
        out[i] = BusRange{b.bus_nr, static_cast<uint8_t>(last)};
    }
    return out;
}

namespace {
int iommu_for(const Topology& t, const HostBridge& b) {
    for (size_t i = 0; i < t.iommus.size(); ++i) {
        if (!b.iommu.empty() ? t.iommus[i].name == b.iommu : t.iommus[i].segment == b.segment)
            return static_cast<int>(i);
    }
    return -1;
}

bool effective_bypass(const Topology& t, const HostBridge& b) {
    return b.is_default ? t.default_bus_bypass_iommu : b.bypass_iommu;
}
}  // namespace

std::vector<TopologyIssue> validate(const Topology& t) {
    using S = TopologyIssue::Severity;
    using W = TopologyIssue::Where;
    std::vector<TopologyIssue> out;
    auto add = [&](S s, W w, size_t i, const std::string& key, const std::string& msg) {
        out.push_back(TopologyIssue{s, w, i, key, msg});
    };
    if (t.default_bus_bypass_iommu && t.machine != Machine::Q35 && t.machine != Machine::Virt)
        add(S::Error, W::Machine, 0, "default_bus_bypass_iommu",
            std::string("option 'default_bus_bypass_iommu' is accepted only by the q35 and virt machines, not by '") +
                machine_name(t.machine) + "'");

    const std::vector<BusRange> ranges = bus_ranges(t);
    std::set<std::string> ids;
    for (size_t i = 0; i < t.bridges.size(); ++i) {
        const HostBridge& b = t.bridges[i];
        if (!ids.insert(b.id).second) add(S::Error, W::Bridge, i, "id", "duplicate host bridge id '" + b.id + "'");
        if (b.bus_count != 0 && b.bus_nr + b.bus_count - 1 > 0xff)
            add(S::Error, W::Bridge, i, "buses", "bus range runs past bus 0xff");
        for (size_t j = 0; j < i; ++j) {
            const HostBridge& o = t.bridges[j];
            if (o.segment != b.segment) continue;
            if (ranges[i].first <= ranges[j].last && ranges[j].first <= ranges[i].last) {
                char buf[160];
                std::snprintf(buf, sizeof buf, "bus range %02x-%02x overlaps '%s' (%02x-%02x)", ranges[i].first,
                              ranges[i].last, o.id.c_str(), ranges[j].first, ranges[j].last);
                add(S::Error, W::Bridge, i, "bus_nr", buf);
            }
        }
        if (!b.iommu.empty() && iommu_for(t, b) < 0)
            add(S::Error, W::Bridge, i, "iommu", "no IOMMU named '" + b.iommu + "'");
        if (effective_bypass(t, b) && t.iommus.empty())
            add(S::Warning, W::Bridge, i, b.is_default ? "default_bus_bypass_iommu" : "bypass_iommu",
                "bypass_iommu has no effect: the platform has no IOMMU");
    }
    std::set<uint32_t> addrs;
    for (size_t i = 0; i < t.devices.size(); ++i) {
        const PciDevice& d = t.devices[i];
        if (!addrs.insert((uint32_t{d.segment} << 16) | d.rid.value).second)
            add(S::Error, W::Device, i, "bdf", "another device already sits at " + d.rid.str());
        bool on_bus = false;
        for (size_t j = 0; j < t.bridges.size(); ++j)
            on_bus |= t.bridges[j].segment == d.segment && d.rid.bus() >= ranges[j].first &&
                      d.rid.bus() <= ranges[j].last;
        if (!on_bus) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "bus %02x of segment %u belongs to no host bridge", d.rid.bus(),
                          static_cast<unsigned>(d.segment));
            add(S::Error, W::Device, i, "bdf", buf);
        }
    }
    return out;
}

FirmwareView build_firmware_view(const Topology& t) {
    FirmwareView v;
    for (const TopologyIommu& i : t.iommus) v.iommus.push_back(FwIommu{i.name, i.kind, i.segment, i.base, i.rid});
    const std::vector<BusRange> ranges = bus_ranges(t);
    std::vector<size_t> order(t.bridges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::make_pair(t.bridges[a].segment, ranges[a].first) <
               std::make_pair(t.bridges[b].segment, ranges[b].first);
    });
    for (size_t i : order) {
        const HostBridge& b = t.bridges[i];
        FwBusRange r;
        r.segment = b.segment;
        r.bus_first = ranges[i].first;
        r.bus_last = ranges[i].last;
        r.bridge = b.id;
        r.bypass = effective_bypass(t, b) && !t.iommus.empty();
        r.iommu = r.bypass ? -1 : iommu_for(t, b);
        v.bus_ranges.push_back(r);
        FwIdMapping m;
        m.segment = b.segment;
        m.rid_base = static_cast<uint16_t>(r.bus_first << 8);
        m.count = (uint32_t{r.bus_last} - r.bus_first + 1) << 8;
        m.iommu = r.iommu;
        // StreamID / DeviceID = requester ID, unless the bridge states an offset.
        m.output_base = b.stream_id_base >= 0 ? static_cast<uint32_t>(b.stream_id_base) : m.rid_base;
        v.id_mappings.push_back(m);
    }
    for (const PciDevice& d : t.devices) {
        const Route r = route(v, d.segment, d.rid.value);
        v.devices.push_back(FwDevice{d.name, d.segment, d.rid.value, r.iommu, r.bypass});
    }
    return v;
}

Route route(const FirmwareView& v, uint16_t segment, uint16_t rid) {
    Route out;
    const unsigned bus = rid >> 8;
    for (const FwBusRange& r : v.bus_ranges) {
        if (r.segment != segment || bus < r.bus_first || bus > r.bus_last) continue;
        out.on_bus = true;
        out.bypass = r.bypass;
        out.iommu = r.iommu;
    }
    for (const FwIdMapping& m : v.id_mappings) {
        if (m.segment == segment && rid >= m.rid_base && uint32_t{rid} - m.rid_base < m.count) {
            out.stream_id = m.output_base + (rid - m.rid_base);
        }
    }
    return out;
}

}  // namespace iommusim::pci

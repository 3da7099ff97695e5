#include "platforms/platform_config.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "models/smmuv3/arch/reg_names.h"
#include "platforms/traffic_config.h"
#include "platforms/yaml_reader.h"
#include "rtl-cosim/cosim_api.h"

namespace iommusim {

namespace {

void read_cache(YamlMap& m, CacheGeometry& g, unsigned& latency, const char* what) {
    g.entries = static_cast<uint32_t>(m.get_u64("entries", g.entries, 1, 1u << 20));
    g.ways = static_cast<uint32_t>(m.get_u64("ways", g.ways, 1, 1u << 20));
    const std::string pol = m.get_enum("policy", repl_policy_name(g.policy), {"lru", "plru", "fifo", "random"});
    parse_repl_policy(pol, g.policy);
    g.seed = m.get_u64("seed", g.seed);
    latency = static_cast<unsigned>(m.get_u64("latency_cycles", latency, 0, 1000));
    const std::string err = validate(g);
    if (!err.empty()) m.fail("entries", std::string(what) + ": " + err);
}

// iotlb.cosim: rtl and its keys (docs/rtl-cosim.md).
void read_iotlb_cosim(YamlMap& t, IommuConfig& c) {
    auto& co = c.cosim;
    co.enabled = t.get_enum("cosim", "off", {"off", "rtl"}) == "rtl";
    if (!co.enabled) {
        for (const char* k : {"cosim_top", "cosim_trace", "cosim_variant"})
            if (t.has(k)) t.fail(k, "only with cosim: rtl");
        return;
    }
    co.top = t.get_string("cosim_top", co.top);
    co.trace = t.get_string("cosim_trace", "");
    // Test-only (not in docs/platforms.md): a mutant of the reference RTL.
    if (t.has("cosim_variant"))
        co.variant = t.get_enum("cosim_variant", co.variant,
                                {"reference", "mutant_replacement", "mutant_invalidate", "mutant_pagemask"});
#if IOMMUSIM_HAVE_COSIM
    cosim::CosimOptions o;
    o.top = co.top;
    o.variant = co.variant;
    o.geometry = c.smmu.pipeline.iotlb;
    const std::string err = cosim::check_cosim(o);
    if (!err.empty()) t.fail(t.has("cosim_top") ? "cosim_top" : "cosim", err);
#else
    t.fail("cosim", "this iommusim is built without RTL co-simulation (Verilator was not found when it was "
                    "configured, or IOMMUSIM_COSIM=OFF): rebuild with Verilator installed (docs/rtl-cosim.md)");
#endif
}

void read_smmuv3(YamlMap& m, IommuConfig& c) {
    auto& p = c.smmu;
    p.clock_mhz = m.get_double("clock_mhz", p.clock_mhz, 1, 100000);
    p.oas_bits = static_cast<unsigned>(m.get_u64("oas_bits", p.oas_bits, 32, 52));
    if (p.oas_bits != 32 && p.oas_bits != 36 && p.oas_bits != 40 && p.oas_bits != 42 && p.oas_bits != 44 &&
        p.oas_bits != 48 && p.oas_bits != 52)
        m.fail("oas_bits", "must be one of 32, 36, 40, 42, 44, 48, 52 (SMMU_IDR5.OAS encodings)");
    p.sid_bits = static_cast<unsigned>(m.get_u64("sid_bits", p.sid_bits, 1, 32));
    p.ssid_bits = static_cast<unsigned>(m.get_u64("ssid_bits", p.ssid_bits, 0, 20));
    p.stage1 = m.get_bool("stage1", p.stage1);
    p.stage2 = m.get_bool("stage2", p.stage2);
    const std::string st = m.get_enum("stream_table", "2level", {"linear", "2level"});
    p.two_level_stream_table = true;
    c.driver.two_level = st == "2level";
    c.driver.split = static_cast<unsigned>(m.get_u64("split", 8, 6, 10));
    if (c.driver.split != 6 && c.driver.split != 8 && c.driver.split != 10)
        m.fail("split", "must be 6, 8 or 10 (STRTAB_BASE_CFG.SPLIT)");
    c.driver.sid_bits = std::min(p.sid_bits, static_cast<unsigned>(m.get_u64("stream_table_sid_bits", 16, 1, 32)));
    p.cmdq_log2_max = static_cast<unsigned>(m.get_u64("cmdq_log2", p.cmdq_log2_max, 1, 19));
    p.eventq_log2_max = static_cast<unsigned>(m.get_u64("eventq_log2", p.eventq_log2_max, 1, 19));
    c.driver.cmdq_log2 = p.cmdq_log2_max;
    c.driver.eventq_log2 = p.eventq_log2_max;
    p.cmd_cycles = static_cast<unsigned>(m.get_u64("cmd_cycles", p.cmd_cycles, 0, 1000000));
    p.reg_access_cycles = static_cast<unsigned>(m.get_u64("reg_access_cycles", p.reg_access_cycles, 0, 1000000));
    {
        YamlMap t = m.map("iotlb");
        read_cache(t, p.pipeline.iotlb, p.pipeline.iotlb_latency_cycles, "iotlb");
        p.pipeline.iotlb_ports = static_cast<unsigned>(t.get_u64("ports", p.pipeline.iotlb_ports, 1, 64));
        read_iotlb_cosim(t, c);
        t.finish();
    }
    {
        YamlMap c2 = m.map("config_cache");
        read_cache(c2, p.config_cache, p.config_cache_latency_cycles, "config_cache");
        c2.finish();
    }
    {
        YamlMap w = m.map("walk_cache");
        p.pipeline.walk_cache = w.get_bool("enabled", p.pipeline.walk_cache);
        read_cache(w, p.pipeline.walk_cache_geometry, p.pipeline.walk_cache_latency_cycles, "walk_cache");
        w.finish();
    }
    p.pipeline.walk_slots = static_cast<unsigned>(m.get_u64("walk_slots", p.pipeline.walk_slots, 1, 256));
    c.captured = m.get_enum("setup", "driver", {"driver", "captured"}) == "captured";
    if (!c.captured && m.has("registers"))
        m.fail("registers", "registers are for setup: captured (the driver programs them otherwise)");
    if (c.captured)
        m.each("registers", [&](size_t, YamlMap& r) {
            IommuConfig::RegWrite w;
            if (r.has("name") == r.has("offset")) r.fail("name", "give the register's name or its offset (one of them)");
            if (r.has("name")) {
                w.name = r.require_string("name");
                const smmuv3::RegisterName* n = smmuv3::find_register(w.name);
                if (!n) r.fail("name", "no SMMUv3 register is called '" + w.name + "' (names as IHI 0070 ch. 6, e.g. CR0, STRTAB_BASE)");
                w.offset = n->offset;
                w.bytes = static_cast<unsigned>(r.get_u64("bytes", n->bytes, 4, 8));
            } else {
                w.offset = static_cast<uint32_t>(r.require_u64("offset", 0, 0x1ffff));
                w.bytes = static_cast<unsigned>(r.get_u64("bytes", 4, 4, 8));
                char b[16];
                std::snprintf(b, sizeof b, "0x%x", w.offset);
                w.name = b;
            }
            if (w.bytes != 4 && w.bytes != 8) r.fail("bytes", "must be 4 or 8");
            if (w.offset % w.bytes) r.fail("offset", "not aligned to the access size");
            w.value = r.require_u64("value");
            if (w.bytes == 4 && (w.value >> 32)) r.fail("value", "does not fit a 32-bit register");
            c.registers.push_back(w);
        });
}

}  // namespace

PlatformConfig load_platform_config(const std::string& path, const std::vector<Override>& overrides) {
    PlatformConfig pc;
    pc.file = path;
    YAML::Node root = load_yaml_file(path);
    if (!root.IsMap()) throw ConfigError(path, root.Mark(), "", "the platform file must be a mapping");
    apply_overrides(root, overrides, path);
    pc.resolved = YAML::Node(YAML::NodeType::Map);
    YamlMap top(root, path, "", pc.resolved);

    {
        YamlMap m = top.map("platform");
        pc.name = m.get_string("name", pc.name);
        pc.quantum_ns = m.get_double("quantum_ns", pc.quantum_ns, 0, 1e9);
        pc.unsafe_noiommu = m.get_bool("unsafe_noiommu", false);
        m.finish();
    }
    {
        YamlMap m = top.map("memory");
        pc.memory.base = m.get_u64("base", 0);
        pc.memory.size = m.get_u64("size", uint64_t{64} << 30, 1 << 20);
        pc.memory.latency_ns = m.get_double("latency_ns", pc.memory.latency_ns, 0, 1e6);
        pc.memory.bandwidth_gbps = m.get_double("bandwidth_gbps", pc.memory.bandwidth_gbps, 0, 1e6);
        pc.memory.dmi = m.get_bool("dmi", true);
        const std::filesystem::path dir = std::filesystem::path(path).parent_path();
        m.each("preload", [&](size_t, YamlMap& e) {
            Preload pl;
            std::filesystem::path f(e.require_string("file"));
            if (f.is_relative()) f = dir / f;
            pl.file = f.string();
            pl.address = e.require_u64("address");
            std::error_code ec;
            pl.size = std::filesystem::file_size(f, ec);
            if (ec) e.fail("file", "cannot read " + pl.file + ": " + ec.message());
            if (pl.address < pc.memory.base || pl.size > pc.memory.size ||
                pl.address - pc.memory.base > pc.memory.size - pl.size)
                e.fail("address", "the file (" + std::to_string(pl.size) + " bytes) does not fit in memory there");
            pc.preload.push_back(pl);
        });
        pc.alloc_base = m.get_u64("alloc_base", pc.memory.base + (uint64_t{1} << 30));
        pc.alloc_size = m.get_u64("alloc_size", pc.memory.size - (pc.alloc_base - pc.memory.base));
        if (pc.alloc_base < pc.memory.base || pc.alloc_size > pc.memory.size ||
            pc.alloc_base - pc.memory.base > pc.memory.size - pc.alloc_size)
            m.fail("alloc_base", "the allocation region must lie inside memory");

        m.finish();
    }
    // Machine and PCI topology.
    pci::Topology& topo = pc.topology;
    YAML::Node machine_node, bridge0_node;
    {
        YamlMap m = top.map("machine");
        pci::parse_machine(m.get_enum("type", "generic", {"q35", "virt", "generic"}), topo.machine);
        topo.default_bus_bypass_iommu = m.get_bool("default_bus_bypass_iommu", false);
        machine_node = root["machine"];
        m.finish();
    }
    std::vector<YAML::Node> bridge_nodes;
    std::vector<std::string> bridge_paths;
    std::vector<uint64_t> bridge_slots;
    {
        YamlMap p = top.map("pci");
        pci::HostBridge b0;
        b0.id = "pcie.0";
        b0.is_default = true;
        {
            YamlMap h = p.map("host_bridge");
            b0.iommu = h.get_string("iommu", "");
            if (h.has("stream_id_base")) b0.stream_id_base = static_cast<int64_t>(h.get_u64("stream_id_base", 0, 0, 0xffff0000));
            h.finish();
        }
        topo.bridges.push_back(b0);
        bridge_nodes.push_back(root["pci"] && root["pci"]["host_bridge"] ? root["pci"]["host_bridge"] : YAML::Node());
        bridge_paths.push_back("pci.host_bridge");
        bridge_slots.push_back(UINT64_MAX);
        p.each("expanders", [&](size_t i, YamlMap& m) {
            pci::HostBridge b;
            b.id = m.require_string("id");
            b.bus_nr = static_cast<uint8_t>(m.require_u64("bus_nr", 1, 0xff));
            b.segment = static_cast<uint16_t>(m.get_u64("segment", 0, 0, 0xffff));
            b.bus_count = static_cast<unsigned>(m.get_u64("buses", 0, 0, 0x100));
            b.bypass_iommu = m.get_bool("bypass_iommu", false);
            b.iommu = m.get_string("iommu", "");
            if (m.has("stream_id_base")) b.stream_id_base = static_cast<int64_t>(m.get_u64("stream_id_base", 0, 0, 0xffff0000));
            bridge_slots.push_back(m.get_u64("slot", 0x1f - i, 0, 0x1f));
            topo.bridges.push_back(b);
            bridge_nodes.push_back(root["pci"]["expanders"][i]);
            bridge_paths.push_back(m.path());
        });
        p.finish();
    }

    std::set<std::string> names;
    top.each("iommus", [&](size_t i, YamlMap& m) {
        IommuConfig c;
        c.name = m.require_string("name");
        if (!names.insert(c.name).second) m.fail("name", "duplicate name '" + c.name + "'");
        c.type = m.get_enum("type", "smmuv3", {"smmuv3", "vtd", "amdvi"});
        c.modelled = c.type == "smmuv3";
        c.segment = static_cast<uint16_t>(m.get_u64("segment", 0, 0, 0xffff));
        const uint64_t default_base = c.type == "smmuv3" ? 0x09050000 + 0x20000 * i
                                      : c.type == "vtd"  ? 0xfed90000 + 0x1000 * i
                                                         : 0xfeb80000 + 0x80000 * i;
        c.base = m.get_u64("base", default_base);
        if (c.type == "amdvi") {
            const std::string bdf = m.get_string("bdf", "00:00.2");
            if (!RequesterId::parse(bdf, c.rid)) m.fail("bdf", "expected bus:device.function, e.g. 00:00.2");
        }
        if (c.type == "smmuv3") read_smmuv3(m, c);
        pc.iommus.push_back(c);
    });
    std::set<uint32_t> addrs;
    top.each(
        "devices",
        [&](size_t, YamlMap& m) {
            DeviceConfig d;
            d.name = m.require_string("name");
            if (!names.insert(d.name).second) m.fail("name", "duplicate name '" + d.name + "'");
            const std::string bdf = m.require_string("bdf");
            if (!RequesterId::parse(bdf, d.rid)) m.fail("bdf", "expected bus:device.function, e.g. 00:01.0");
            d.segment = static_cast<uint16_t>(m.get_u64("segment", 0, 0, 0xffff));
            if (!addrs.insert((uint32_t{d.segment} << 16) | d.rid.value).second)
                m.fail("bdf", "another device already sits at " + bdf);
            d.translation = m.get_enum("translation", "s1", {"s1", "s2", "nested", "bypass"});
            d.granule = m.get_enum("granule", "4k", {"4k", "16k", "64k"});
            d.page_size = m.get_u64("page_size", d.granule == "4k" ? 4096 : d.granule == "16k" ? 16384 : 65536);
            d.ias_bits = static_cast<unsigned>(m.get_u64("ias_bits", 48, 25, 48));
            {
                YamlMap b = m.map("buffer");
                d.iova = b.get_u64("iova", 0x10000000);
                d.buffer_size = b.get_u64("size", uint64_t{1} << 20, 4096);
                if (d.ias_bits < 64 && (d.iova + d.buffer_size - 1) >> d.ias_bits)
                    b.fail("size", "buffer does not fit the device's input address size (ias_bits)");
                b.finish();
            }
            {
                YamlMap t = m.map("traffic");
                d.traffic = read_traffic(t, d.buffer_size, std::filesystem::path(path).parent_path().string(),
                                         d.granule == "64k" ? 65536 : d.granule == "16k" ? 16384 : 4096);
                t.finish();
            }
            pc.devices.push_back(d);
        },
        true);
    top.finish();

    // Topology checks, located at the offending node.
    std::vector<YAML::Node> device_nodes;
    for (size_t i = 0; i < pc.devices.size(); ++i) device_nodes.push_back(root["devices"][i]);
    for (const auto& ic : pc.iommus)
        topo.iommus.push_back(pci::TopologyIommu{ic.name,
                                                 ic.type == "vtd"     ? pci::IommuKind::VTd
                                                 : ic.type == "amdvi" ? pci::IommuKind::AMDVi
                                                                      : pci::IommuKind::SMMUv3,
                                                 ic.segment, ic.base, ic.rid.value});
    for (const auto& d : pc.devices) topo.devices.push_back(pci::PciDevice{d.name, d.segment, d.rid});
    for (size_t i = 1; i < topo.bridges.size(); ++i)
        for (size_t j = 0; j < topo.devices.size(); ++j)
            if (topo.devices[j].segment == topo.bridges[i].segment && topo.devices[j].rid.bus() == 0 &&
                topo.devices[j].rid.device() == bridge_slots[i])
                YamlMap(device_nodes[j], path, "devices[" + std::to_string(j) + "]", YAML::Node())
                    .fail("bdf", "slot " + std::to_string(bridge_slots[i]) + " of bus 0 holds expander '" +
                                     topo.bridges[i].id + "'");
    for (const pci::TopologyIssue& is : pci::validate(topo)) {
        YAML::Node node;
        std::string where;
        if (is.where == pci::TopologyIssue::Where::Machine) {
            node = machine_node;
            where = "machine";
        } else if (is.where == pci::TopologyIssue::Where::Bridge) {
            node = bridge_nodes[is.index];
            where = bridge_paths[is.index];
            if (is.index == 0 && is.key == "default_bus_bypass_iommu") {
                node = machine_node;
                where = "machine";
            }
        } else {
            node = device_nodes[is.index];
            where = "devices[" + std::to_string(is.index) + "]";
        }
        YamlMap m(node.IsMap() ? node : YAML::Node(), path, where, YAML::Node());
        if (is.severity == pci::TopologyIssue::Severity::Error) {
            if (node.IsMap()) m.fail(is.key, is.message);
            throw ConfigError(path, root.Mark(), where + "." + is.key, is.message);
        }
        const YAML::Mark mk = node.IsMap() && node[is.key] ? node[is.key].Mark() : root.Mark();
        pc.warnings.push_back(ConfigError(path, mk, where + "." + is.key, "warning: " + is.message).what());
    }
    pc.firmware = pci::build_firmware_view(topo);
    for (size_t i = 0; i < pc.devices.size(); ++i) {
        const pci::Route r = pci::route(pc.firmware, pc.devices[i].segment, pc.devices[i].rid.value);
        pc.devices[i].iommu = r.iommu;
        pc.devices[i].bridge_bypass = r.bypass;
        pc.devices[i].stream_id = r.stream_id;
        const DeviceConfig& d = pc.devices[i];
        if (d.traffic.pasid_valid) {
            const YamlMap tm(device_nodes[i]["traffic"], path, "devices[" + std::to_string(i) + "].traffic",
                             YAML::Node());
            if (d.iommu < 0) {
                const YAML::Node n = device_nodes[i]["traffic"]["pasid"];
                pc.warnings.push_back(ConfigError(path, n.Mark(), tm.path() + ".pasid",
                                                  "warning: the device is not translated: its PASID has no effect")
                                          .what());
            } else if (d.translation != "s1" && d.translation != "nested") {
                tm.fail("pasid", "a PASID needs stage-1 translation (translation: s1 or nested), not " +
                                     d.translation);
            } else if (pc.iommus[d.iommu].type == "smmuv3" &&
                       (d.traffic.pasid >> pc.iommus[d.iommu].smmu.ssid_bits) != 0) {
                tm.fail("pasid", "beyond " + pc.iommus[d.iommu].name + "'s SubstreamID size (ssid_bits = " +
                                     std::to_string(pc.iommus[d.iommu].smmu.ssid_bits) + ")");
            }
        }
        if (d.iommu >= 0 && pc.iommus[d.iommu].cosim.enabled && d.granule != "4k" && !d.bridge_bypass &&
            d.translation != "bypass" && !pc.iommus[d.iommu].captured)
            YamlMap(device_nodes[i], path, "devices[" + std::to_string(i) + "]", YAML::Node())
                .fail("granule", pc.iommus[d.iommu].name +
                                     "'s IOTLB is co-simulated (iotlb.cosim: rtl) and the RTL port carries the page "
                                     "sizes of the 4 KiB granule only (4 KiB, 2 MiB, 1 GiB)");
        if (d.iommu >= 0 && pc.iommus[d.iommu].type == "smmuv3") {
            const unsigned bits = pc.iommus[d.iommu].driver.sid_bits;
            if (bits < 32 && (d.stream_id >> bits) != 0) {
                char buf[160];
                std::snprintf(buf, sizeof buf,
                              "its StreamID 0x%x (the host bridge's ID mapping) is beyond %s's stream table "
                              "(2^%u StreamIDs: sid_bits / stream_table_sid_bits)",
                              d.stream_id, pc.iommus[d.iommu].name.c_str(), bits);
                YamlMap(device_nodes[i], path, "devices[" + std::to_string(i) + "]", YAML::Node()).fail("bdf", buf);
            }
        }
    }
    // Captured IOMMUs: their devices get no buffer and no mapping from the
    // host software (the preloaded tables decide), so the keys that shape
    // them are refused; the allocator must not overlap preloaded memory when
    // anything still allocates from it.
    bool allocates = false;
    for (const auto& io : pc.iommus) allocates |= io.modelled && !io.captured;
    for (size_t i = 0; i < pc.devices.size(); ++i) {
        const DeviceConfig& d = pc.devices[i];
        const bool captured = d.iommu >= 0 && pc.iommus[d.iommu].captured;
        allocates |= !captured;
        if (!captured) continue;
        for (const char* k : {"translation", "granule", "page_size", "ias_bits"})
            if (device_nodes[i][k])
                pc.warnings.push_back(ConfigError(path, device_nodes[i][k].Mark(),
                                                  "devices[" + std::to_string(i) + "]." + k,
                                                  "warning: no effect: " + pc.iommus[d.iommu].name +
                                                      "'s tables are captured (setup: captured), the host "
                                                      "software does not map for this device")
                                          .what());
    }
    if (allocates)
        for (size_t i = 0; i < pc.preload.size(); ++i) {
            const Preload& pl = pc.preload[i];
            if (pl.address < pc.alloc_base + pc.alloc_size && pc.alloc_base < pl.address + pl.size)
                YamlMap(root["memory"], path, "memory", YAML::Node())
                    .fail("alloc_base", "the region the host software allocates from overlaps memory.preload[" +
                                            std::to_string(i) + "]: move alloc_base / alloc_size");
        }
    // Every record of a trace must belong to a device replaying that trace.
    {
        std::map<std::string, std::set<uint32_t>> replayers;  // file -> segment << 16 | rid
        std::map<std::string, size_t> first_device;
        for (size_t i = 0; i < pc.devices.size(); ++i) {
            const DeviceConfig& d = pc.devices[i];
            if (d.traffic.pattern != "trace" || !d.traffic.trace) continue;
            replayers[d.traffic.trace_file].insert(uint32_t{d.segment} << 16 | d.rid.value);
            first_device.emplace(d.traffic.trace_file, i);
        }
        for (const auto& [trace, who] : first_device) {
            const DeviceConfig& d = pc.devices[who];
            for (const traffic::TraceRecord& r : *d.traffic.trace)
                if (!replayers[trace].count(uint32_t{r.segment} << 16 | r.rid)) {
                    char buf[200];
                    std::snprintf(buf, sizeof buf,
                                  "%s line %zu: requester %04x:%s is not a device replaying this trace",
                                  d.traffic.trace_file.c_str(), r.line, r.segment, RequesterId{r.rid}.str().c_str());
                    YamlMap(device_nodes[who]["traffic"], path, "devices[" + std::to_string(who) + "].traffic",
                            YAML::Node())
                        .fail("file", buf);
                }
        }
    }
    if (pc.iommus.empty() && !pc.unsafe_noiommu)
        throw ConfigError(path, root.Mark(), "platform.unsafe_noiommu",
                          "a platform without an IOMMU lets every device reach all memory (iova == phys); "
                          "set platform.unsafe_noiommu: true to accept that");
    return pc;
}

}  // namespace iommusim

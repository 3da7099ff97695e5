#include "platforms/report.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "models/common/json.h"
#include "traffic/host_driven.h"

namespace iommusim {

namespace {

void histogram_json(JsonWriter& w, const Histogram& h) {
    w.begin_object();
    w.key("count").value(h.count());
    w.key("mean").value(h.mean());
    w.key("p50").value(h.p50());
    w.key("p90").value(h.p90());
    w.key("p99").value(h.p99());
    w.key("max").value(h.max());
    w.end_object();
}

void cache_json(JsonWriter& w, const CacheCounters& c) {
    w.begin_object();
    w.key("lookups").value(c.lookups);
    w.key("hits").value(c.hits);
    w.key("misses").value(c.misses);
    w.key("fills").value(c.fills);
    w.key("evictions").value(c.evictions);
    w.key("invalidations").value(c.invalidations);
    w.key("hit_rate").value(c.lookups ? double(c.hits) / double(c.lookups) : 0.0);
    w.end_object();
}

// How a device's DMA reaches memory: "translated" (through an IOMMU),
// "iommu_bypass" (its STE is bypass), "bridge_bypass" (bypass_iommu on its
// host bridge: trusted, not translated), "no_iommu".
std::string device_path(const Platform::Device& d) {
    if (d.cfg.bridge_bypass) return "bridge_bypass";
    if (!d.iommu) return "no_iommu";
    return d.cfg.translation == "bypass" ? "iommu_bypass" : "translated";
}

// devices.<name>.ring / .storage: the driver side of a driver-in-the-loop generator.
void driver_json(JsonWriter& w, const HostDrivenInitiator& h) {
    const DriverStats& s = h.driver_stats();
    w.begin_object();
    w.key("unmap_policy").value(h.mapper() ? unmap_policy_name(h.driver_params().unmap_policy) : "untranslated");
    w.key(h.unit_name()).value(s.units);
    w.key("latency_ns");
    histogram_json(w, s.latency_ns);
    w.key("map_ns");
    histogram_json(w, s.map_ns);
    w.key("unmap_ns");
    histogram_json(w, s.unmap_ns);
    w.key("map_calls").value(s.map_calls);
    w.key("map_failures").value(s.map_failures);
    w.key("unmap_calls").value(s.unmap_calls);
    w.key("flushes").value(s.flushes);
    w.key("flushes_by_reason").begin_object();
    w.key("full").value(s.flushes_full);
    w.key("timeout").value(s.flushes_timeout);
    w.key("no_iova").value(s.flushes_no_iova);
    w.key("final").value(s.flushes_final);
    w.end_object();
    w.key("max_queued").value(s.max_queued);
    w.key("invalidation_commands").value(h.invalidation_commands());
    w.key("sync_commands").value(h.sync_commands());
    w.end_object();
}

double bandwidth_gbps(const DmaInitiator& g) {
    const double ns = (g.finish_time() - g.start_time()).to_seconds() * 1e9;
    return ns > 0 ? double(g.bytes()) / ns : 0.0;  // bytes per ns = GB/s
}

}  // namespace

void write_stats_json(std::ostream& os, Platform& p, const RunInfo& info) {
    JsonWriter w(os, 2);
    w.begin_object();
    w.key("schema_version").value(1);
    w.key("platform").value(p.config().name);
    w.key("simulated_ns").value(info.simulated_ns);
    w.key("host_seconds").value(info.host_seconds);
    w.key("devices").begin_object();
    for (auto& d : p.devices()) {
        const DmaInitiator& g = *d->gen;
        w.key(d->cfg.name).begin_object();
        w.key("requester_id").value(d->cfg.rid.str());
        w.key("segment").value(d->cfg.segment);
        if (d->iommu && d->cfg.translation != "bypass")
            w.key("translated_by").value(d->iommu->cfg.name);
        else
            w.key("translated_by").value(nullptr);
        w.key("path").value(device_path(*d));
        w.key("stream_id").value(d->cfg.stream_id);
        w.key("translation").value(d->iommu ? d->cfg.translation : std::string("none"));
        w.key("transactions").value(g.transactions());
        w.key("bytes").value(g.bytes());
        w.key("faults").value(g.faults());
        w.key("bandwidth_gbps").value(bandwidth_gbps(g));
        w.key("latency_ns");
        histogram_json(w, g.latency_ns());
        w.key("translation_ns");
        histogram_json(w, g.translation_ns());
        if (const auto* h = dynamic_cast<const HostDrivenInitiator*>(&g)) {
            w.key(h->driver_kind());
            driver_json(w, *h);
        }
        w.end_object();
    }
    w.end_object();
    w.key("iommus").begin_object();
    for (auto& io : p.iommus()) {
        if (!io.smmu) continue;  // not modelled (run refuses such platforms)
        const auto& s = *io.smmu;
        const auto& ps = io.smmu->pipeline().stats();
        w.key(io.cfg.name).begin_object();
        w.key("type").value(io.cfg.type);
        w.key("iotlb");
        cache_json(w, io.smmu->pipeline().iotlb().counters());
        w.key("config_cache");
        cache_json(w, io.smmu->config_cache().counters());
        w.key("walk_cache");
        cache_json(w, io.smmu->pipeline().walk_cache().counters());
        w.key("walks").value(ps.walks);
        w.key("walk_reads").value(ps.walk_reads);
        w.key("walk_reads_per_walk").value(ps.walks ? double(ps.walk_reads) / double(ps.walks) : 0.0);
        const TimelinePool& walkers = io.smmu->pipeline().walkers();
        w.key("walker_waits").value(walkers.waits());
        w.key("walker_slots").value(walkers.size());
        w.key("walker_busy_ns").value(double(walkers.busy_ps()) / 1000.0);
        const double slot_ns = info.simulated_ns * walkers.size();
        w.key("walker_occupancy").value(slot_ns > 0 ? double(walkers.busy_ps()) / 1000.0 / slot_ns : 0.0);
        w.key("transactions").value(s.stats().transactions);
        w.key("faults").value(s.stats().faults);
        w.key("faults_by_type").begin_object();
        for (unsigned type = 0; type < 256; ++type)
            if (s.stats().faults_by_type[type])
                w.key(smmuv3::event_type_name(static_cast<uint8_t>(type))).value(s.stats().faults_by_type[type]);
        w.end_object();
        w.key("invalidations").value(s.stats().invalidations);
        w.key("invalidation_ns");
        histogram_json(w, s.stats().invalidation_ns);
        w.key("events").value(s.stats().events);
        w.key("events_lost").value(s.stats().events_lost);
        w.key("commands").value(s.stats().commands);
        w.key("command_errors").value(s.stats().command_errors);
        if (io.cosim) {  // iotlb.cosim: rtl (docs/rtl-cosim.md)
            const cosim::CosimStats& c = io.cosim->stats();
            w.key("cosim").begin_object();
            w.key("rtl_top").value(io.cosim->options().top);
            w.key("variant").value(io.cosim->options().variant);
            w.key("operations").value(c.operations);
            w.key("checked").value(c.checked);
            w.key("lookups").value(c.lookups);
            w.key("fills").value(c.fills);
            w.key("invalidations").value(c.invalidations);
            w.key("rtl_cycles").value(c.rtl_cycles);
            w.key("mismatches").value(c.mismatches);
            if (c.mismatches)
                w.key("first_mismatch").value(c.first_mismatch);
            else
                w.key("first_mismatch").value(nullptr);
            w.end_object();
        }
        w.end_object();
    }
    w.end_object();
    w.key("memory").begin_object();
    w.key("reads").value(p.memory().reads());
    w.key("writes").value(p.memory().writes());
    w.key("bytes_read").value(p.memory().bytes_read());
    w.key("bytes_written").value(p.memory().bytes_written());
    w.key("pages_touched").value(p.memory().backdoor().pages_touched());
    w.end_object();
    w.key("stats");
    p.stats().write_json(w);
    w.end_object();
    os << '\n';
}

void write_summary(std::ostream& os, Platform& p, const RunInfo& info) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1);
    o << "iommusim: platform '" << p.config().name << "'  simulated " << info.simulated_ns / 1000.0 << " us in "
      << std::setprecision(2) << info.host_seconds << " s host time\n\n";
    o << "Devices\n";
    int name_w = 12;  // wide enough for every device name, plus a gap
    for (auto& d : p.devices()) name_w = std::max(name_w, static_cast<int>(d->cfg.name.size()) + 2);
    o << "  " << std::left << std::setw(name_w) << "name" << std::setw(9) << "bdf" << std::setw(13) << "path"
      << std::right << std::setw(10) << "txns" << std::setw(8) << "faults" << std::setw(10) << "GB/s"
      << std::setw(10) << "mean ns" << std::setw(9) << "p50" << std::setw(9) << "p99" << std::setw(10) << "max"
      << "\n";
    for (auto& d : p.devices()) {
        const DmaInitiator& g = *d->gen;
        const std::string kind = device_path(*d);
        const std::string path = kind == "translated" ? d->iommu->cfg.name + "/" + d->cfg.translation
                                 : kind == "no_iommu"  ? "NO IOMMU"
                                                       : kind;
        o << "  " << std::left << std::setw(name_w) << d->cfg.name << std::setw(9) << d->cfg.rid.str() << std::setw(13)
          << path << std::right << std::setw(10) << g.transactions() << std::setw(8) << g.faults()
          << std::setprecision(2) << std::setw(10) << bandwidth_gbps(g) << std::setprecision(1) << std::setw(10)
          << g.latency_ns().mean() << std::setw(9) << g.latency_ns().p50() << std::setw(9) << g.latency_ns().p99()
          << std::setw(10) << g.latency_ns().max() << "\n";
    }
    bool driven = false;
    for (auto& d : p.devices()) {
        const auto* h = dynamic_cast<const HostDrivenInitiator*>(d->gen.get());
        if (!h) continue;
        if (!driven) {
            o << "\nHost driver (ring / storage; ns per packet or request)\n";
            o << "  " << std::left << std::setw(14) << "name" << std::setw(16) << "policy" << std::right
              << std::setw(9) << "units" << std::setw(10) << "lat mean" << std::setw(9) << "p99" << std::setw(10)
              << "map mean" << std::setw(11) << "unmap mean" << std::setw(9) << "p99" << std::setw(9) << "flushes"
              << std::setw(8) << "TLBIs" << std::setw(8) << "syncs" << "\n";
            driven = true;
        }
        const DriverStats& s = h->driver_stats();
        o << "  " << std::left << std::setw(14) << d->cfg.name << std::setw(16)
          << (h->driver_kind() + "/" + (h->mapper() ? unmap_policy_name(h->driver_params().unmap_policy) : "untransl."))
          << std::right << std::setw(9) << s.units << std::setprecision(1) << std::setw(10) << s.latency_ns.mean()
          << std::setw(9) << s.latency_ns.p99() << std::setw(10) << s.map_ns.mean() << std::setw(11)
          << s.unmap_ns.mean() << std::setw(9) << s.unmap_ns.p99() << std::setw(9) << s.flushes << std::setw(8)
          << h->invalidation_commands() << std::setw(8) << h->sync_commands() << "\n";
    }
    o << "\nIOMMUs\n";
    for (auto& io : p.iommus()) {
        if (!io.smmu) continue;
        const auto& t = io.smmu->pipeline().iotlb().counters();
        const auto& c = io.smmu->config_cache().counters();
        const auto& wc = io.smmu->pipeline().walk_cache().counters();
        const auto& ps = io.smmu->pipeline().stats();
        auto rate = [](const CacheCounters& k) { return k.lookups ? 100.0 * double(k.hits) / double(k.lookups) : 0.0; };
        o << "  " << io.cfg.name << " (" << io.cfg.type << ")\n";
        o << "    IOTLB         " << t.lookups << " lookups, " << t.hits << " hits (" << rate(t) << "%), "
          << t.misses << " misses, " << t.evictions << " evictions\n";
        o << "    config cache  " << c.lookups << " lookups, " << rate(c) << "% hits\n";
        o << "    walk cache    " << wc.lookups << " lookups, " << rate(wc) << "% hits\n";
        o << "    walks         " << ps.walks << " (" << ps.walk_reads << " descriptor reads, "
          << std::setprecision(2) << (ps.walks ? double(ps.walk_reads) / double(ps.walks) : 0.0)
          << " per walk)\n" << std::setprecision(1);
        o << "    faults        " << io.smmu->stats().faults << ", events " << io.smmu->stats().events
          << " (lost " << io.smmu->stats().events_lost << "), commands " << io.smmu->stats().commands << "\n";
        if (io.cosim) {
            const cosim::CosimStats& cs = io.cosim->stats();
            o << "    co-simulation: " << cs.operations << " IOTLB operations";
            if (!cs.mismatches)
                o << ", all matched (RTL '" << io.cosim->options().top << "', " << cs.rtl_cycles << " cycles)\n";
            else
                o << ", MISMATCH after " << cs.checked << " matched (RTL '" << io.cosim->options().top << "'"
                  << (io.cosim->options().variant != "reference" ? ", variant " + io.cosim->options().variant : "")
                  << "): " << cs.first_mismatch.substr(0, cs.first_mismatch.find('\n')) << "\n";
        }
    }
    os << o.str();
}

bool write_outputs(const std::string& dir, Platform& p, const RunInfo& info, std::string& err) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        err = "cannot create " + dir + ": " + ec.message();
        return false;
    }
    const std::filesystem::path d(dir);
    {
        std::ofstream f(d / "stats.json");
        write_stats_json(f, p, info);
        if (!f) return err = "cannot write stats.json", false;
    }
    {
        std::ofstream f(d / "stats.csv");
        p.stats().write_csv(f);
        if (!f) return err = "cannot write stats.csv", false;
    }
    {
        std::ofstream f(d / "config.yaml");
        YAML::Emitter e;
        e << p.config().resolved;
        f << "# Fully resolved configuration of this run (every default made explicit).\n"
          << "# Re-run it with: iommusim run config.yaml --out DIR\n"
          << e.c_str() << "\n";
        if (!f) return err = "cannot write config.yaml", false;
    }
    return true;
}

}  // namespace iommusim

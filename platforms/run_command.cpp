#include "platforms/run_command.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include <systemc>

#include "platforms/bypass_compare.h"
#include "platforms/platform.h"
#include "platforms/progress.h"
#include "platforms/recorders.h"
#include "platforms/report.h"

namespace iommusim {

void make_baseline_bypass(PlatformConfig& cfg) {
    for (auto& d : cfg.devices) {
        d.iommu = -1;
        d.bridge_bypass = true;
    }
    for (auto& fd : cfg.firmware.devices) {
        fd.iommu = -1;
        fd.bypass = true;
    }
}

namespace {

// The optional per-transaction outputs, wired to the platform's devices and IOMMUs.
struct Recording {
    TransactionLog log;
    ChromeTrace trace;
    std::unique_ptr<VcdRecorder> vcd;
    bool log_on = false, trace_on = false;

    bool start(Platform& p, const RunOptions& o, std::string& err) {
        namespace fs = std::filesystem;
        if (!(o.transactions || o.trace_events || o.vcd)) return true;
        std::error_code ec;
        fs::create_directories(o.out, ec);
        if (ec) return err = "cannot create " + o.out + ": " + ec.message(), false;
        if (o.transactions && !(log_on = log.open((fs::path(o.out) / "transactions.csv").string(), o.record_limit)))
            return err = "cannot write transactions.csv", false;
        if (o.trace_events && !(trace_on = trace.open((fs::path(o.out) / "trace.json").string(), o.record_limit)))
            return err = "cannot write trace.json", false;
        if (o.vcd) vcd = std::make_unique<VcdRecorder>(o.record_limit);
        unsigned di = 0;
        for (auto& d : p.devices()) {
            const unsigned idx = di++;
            const std::string name = d->cfg.name;
            const RequesterId rid = d->cfg.rid;
            if (trace_on) trace.name_device(idx, name);
            const unsigned sig = vcd ? vcd->add_signal("devices", name + "_in_flight") : 0;
            d->gen->on_complete = [this, idx, name, rid, sig](const DmaInitiator::Completed& c) {
                if (log_on) log.record(name, rid, c);
                if (trace_on) trace.dma(idx, c);
                if (vcd) vcd->interval(sig, c.due.value(), c.done.value());
            };
        }
        unsigned ii = 0;
        for (auto& io : p.iommus()) {
            const unsigned idx = ii++;
            if (!io.smmu) continue;
            if (trace_on) trace.name_iommu(idx, io.cfg.name);
            const unsigned sig = vcd ? vcd->add_signal("iommus", io.cfg.name + "_walks") : 0;
            io.smmu->pipeline().on_walk = [this, idx, sig](uint64_t s, uint64_t e) {
                if (trace_on) trace.walk(idx, s, e);
                if (vcd) vcd->interval(sig, s, e);
            };
        }
        return true;
    }

    bool finish(const RunOptions& o, std::string& err) {
        namespace fs = std::filesystem;
        if (trace_on) trace.close();
        if (vcd && !vcd->write((fs::path(o.out) / "activity.vcd").string()))
            return err = "cannot write activity.vcd", false;
        const uint64_t dropped = log.dropped() + trace.dropped() + (vcd ? vcd->dropped() : 0);
        if (dropped)
            std::cerr << "iommusim: --record-limit " << o.record_limit << " reached: " << dropped
                      << " records not written\n";
        return true;
    }
};

}  // namespace

int run_platform(const PlatformConfig& cfg, const RunOptions& o) {
    for (const auto& io : cfg.iommus)
        if (!io.modelled) {
            std::cerr << "iommusim: IOMMU '" << io.name << "' is of type '" << io.type
                      << "', whose model is not built yet: 'run' cannot simulate it ('tables' and 'audit' work)\n";
            return 1;
        }
    // Co-simulation waveforms (iotlb.cosim_trace) are outputs: relative to --out.
    PlatformConfig run_cfg = cfg;
    for (auto& io : run_cfg.iommus) {
        if (!io.cosim.enabled || io.cosim.trace.empty()) continue;
        namespace fs = std::filesystem;
        fs::path f(io.cosim.trace);
        if (f.is_relative()) f = fs::path(o.out) / f;
        std::error_code ec;
        if (f.has_parent_path()) fs::create_directories(f.parent_path(), ec);
        io.cosim.trace = f.string();
    }
    Platform platform("platform", run_cfg);
    Recording rec;
    std::string err;
    if (!rec.start(platform, o, err)) {
        std::cerr << "iommusim: " << err << "\n";
        return 1;
    }
    const auto t0 = std::chrono::steady_clock::now();
    {
        ProgressLine progress(o.progress);
        sc_core::sc_start();
    }
    const auto t1 = std::chrono::steady_clock::now();
    // RTL co-simulation: close the waveforms; a divergence makes the run fail (exit 3).
    bool cosim_mismatch = false;
    for (auto& io : platform.iommus())
        if (io.cosim) {
            io.cosim->finish();
            cosim_mismatch |= io.cosim->stats().mismatches != 0;
        }
    RunInfo info;
    info.simulated_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
    info.host_seconds = std::chrono::duration<double>(t1 - t0).count();
    for (auto& d : platform.devices())
        if (!d->setup_error.empty()) {
            std::cerr << "iommusim: device " << d->cfg.name << ": " << d->setup_error << "\n";
            return 1;
        }
    if (!o.quiet) write_summary(std::cout, platform, info);
    if (!write_outputs(o.out, platform, info, err) || !rec.finish(o, err)) {
        std::cerr << "iommusim: " << err << "\n";
        return 1;
    }
    if (!o.quiet) {
        std::cout << "\nwrote " << o.out << "/stats.json, stats.csv, config.yaml";
        if (o.transactions) std::cout << ", transactions.csv";
        if (o.trace_events) std::cout << ", trace.json";
        if (o.vcd) std::cout << ", activity.vcd";
        for (const auto& io : run_cfg.iommus)
            if (io.cosim.enabled && !io.cosim.trace.empty()) std::cout << ", " << io.cosim.trace;
        std::cout << "\n";
    }
    if (cosim_mismatch) {
        std::cerr << "iommusim: RTL co-simulation mismatch (see above and iommus.<name>.cosim in stats.json): exit 3\n";
        return 3;
    }
    if (o.compare_bypass) return compare_with_bypass(o, std::cout, std::cerr);
    return 0;
}

}  // namespace iommusim

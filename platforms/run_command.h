// `iommusim run`: simulate a platform, print the summary, write the outputs
// (stats.json, stats.csv, config.yaml and the optional per-transaction
// records), and optionally compare with a bypassed baseline run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platforms/overrides.h"
#include "platforms/platform_config.h"

namespace iommusim {

struct RunOptions {
    std::string config;                  // as given (the baseline child re-reads it)
    std::vector<Override> overrides;     // --set, in order
    std::string out = "iommusim-out";
    bool quiet = false;
    bool progress = false;               // progress line (stdout is a terminal and not quiet)
    bool transactions = false;           // --transactions: DIR/transactions.csv
    bool trace_events = false;           // --trace-events: DIR/trace.json
    bool vcd = false;                    // --vcd: DIR/activity.vcd
    uint64_t record_limit = 1000000;     // --record-limit: records per optional output
    bool compare_bypass = false;         // --compare-bypass: also run the baseline, write compare_bypass.json
    bool baseline_bypass = false;        // --baseline-bypass: every device bypasses its IOMMU
    std::string exe = "/proc/self/exe";  // for the baseline child
};

// Routes every device around its IOMMU (as bypass_iommu on its host bridge):
// the baseline of --compare-bypass. The IOVAs are used as physical addresses.
void make_baseline_bypass(PlatformConfig& cfg);

// Runs an already loaded configuration; returns the exit code (0 ok, 1
// simulation / I/O error, 3 RTL co-simulation mismatch). Must be the only
// elaboration in this process.
int run_platform(const PlatformConfig& cfg, const RunOptions& o);

}  // namespace iommusim

// Run outputs: the readable summary, stats.json, stats.csv and the resolved
// configuration (schema: docs/output.md).
#pragma once

#include <ostream>
#include <string>

#include "platforms/platform.h"

namespace iommusim {

struct RunInfo {
    double simulated_ns = 0;
    double host_seconds = 0;
};

void write_stats_json(std::ostream& os, Platform& p, const RunInfo& info);
void write_summary(std::ostream& os, Platform& p, const RunInfo& info);
// Writes DIR/stats.json, DIR/stats.csv, DIR/config.yaml. Returns false with
// `err` set on an I/O problem.
bool write_outputs(const std::string& dir, Platform& p, const RunInfo& info, std::string& err);

}  // namespace iommusim

// --compare-bypass: the overhead of translation, measured. After the run,
// the same configuration runs again in a child process with every device
// routed around its IOMMU (--baseline-bypass: the IOVA is the physical
// address, the same traffic, the same memory timing), into DIR/bypass/; then
// per device the translated/bypass ratios of latency (mean, p50, p99) and of
// bandwidth are printed and written to DIR/compare_bypass.json
// (docs/output.md).
#pragma once

#include <ostream>

#include "platforms/run_command.h"

namespace iommusim {

// Returns the exit code (0 ok, 1 the baseline failed or an output is unreadable).
int compare_with_bypass(const RunOptions& o, std::ostream& out, std::ostream& err);

}  // namespace iommusim

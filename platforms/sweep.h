// `iommusim sweep`: run one platform over the cartesian product of --vary
// value lists, each point a separate `iommusim run` process (SystemC cannot
// elaborate twice in one process), at most `jobs` at a time, resumable, and
// collect every point's stats.json into one sweep.csv (docs/sweeps.md).
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "platforms/overrides.h"

namespace iommusim {

// One --vary KEY=V1,V2,...
struct SweepAxis {
    std::string key;
    std::vector<std::string> values;
};

// Parses "KEY=V1,V2,...". Values are split at commas outside [], {} and
// quotes, so a flow list or map value stays whole. False (with `err`) when
// there is no '=', no KEY, an empty path element or no value.
bool parse_vary(const std::string& text, SweepAxis& out, std::string& err);

struct SweepOptions {
    std::string config;
    std::vector<SweepAxis> axes;     // first varies slowest
    std::vector<Override> fixed;     // --set, applied before each point's values
    unsigned jobs = 1;               // points running at once
    std::string out = "iommusim-sweep";
    std::string exe = "/proc/self/exe";  // the iommusim binary each point runs
};

// Validates every point, then runs the missing or failed ones and writes
// OUT/sweep.csv and OUT/sweep.yaml. Returns the exit code: 0 all points ok,
// 1 a point failed (or an I/O error), 2 an invalid point or usage (nothing
// run or written).
int run_sweep(const SweepOptions& opts, std::ostream& out, std::ostream& err);

// --- sweep_csv.cpp -----------------------------------------------------------

// The CSV columns of one stats.json: every numeric leaf under `devices` and
// `iommus`, and the top-level `simulated_ns`, as (dotted name, value text), in
// document order. Non-numeric leaves (strings, booleans, null) are skipped.
std::vector<std::pair<std::string, std::string>> flatten_stats(const YAML::Node& stats);

// One CSV cell: quoted (with doubled quotes) when it holds , " or a newline.
std::string csv_cell(const std::string& text);

}  // namespace iommusim

// Small helpers the generators share: parameter checks whose message names
// the YAML key first ("size: must be ..."), rounding, and times in ns.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <systemc>

#include "models/common/tlm/sc_time_util.h"

namespace iommusim::gen {

inline void require(bool ok, const std::string& msg) {
    if (!ok) throw std::invalid_argument(msg);
}

inline uint64_t roundup(uint64_t v, uint64_t granule) { return (v + granule - 1) / granule * granule; }

inline double ns(const sc_core::sc_time& t) { return double(to_ps(t)) / 1000.0; }

}  // namespace iommusim::gen

// Conversions between sc_time and integer picoseconds.
// The simulator runs with a time resolution of 1 ps (platform.cpp sets it and
// check_time_resolution() asserts it), so sc_time::value() is picoseconds.
#pragma once

#include <cassert>

#include <systemc>

#include "models/common/timing.h"

namespace iommusim {

inline ps_t to_ps(const sc_core::sc_time& t) { return t.value(); }
inline sc_core::sc_time from_ps(ps_t ps) { return sc_core::sc_time::from_value(ps); }
inline ps_t now_ps() { return sc_core::sc_time_stamp().value(); }
inline void check_time_resolution() {
    assert(sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS));
}

}  // namespace iommusim

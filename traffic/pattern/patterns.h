// Internal to traffic/pattern: one factory per pattern, each in its own .cpp
// (sequential.cpp, random.cpp, hotcold.cpp, zipf.cpp, strided.cpp). They
// are called by make_pattern() after the checks common to every pattern
// (size >= 1, size <= window, base + window within 2^64) and check their own
// parameters.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "traffic/pattern/address_pattern.h"

namespace iommusim::traffic::detail {

std::unique_ptr<AddressPattern> make_sequential(const PatternParams& p);
std::unique_ptr<AddressPattern> make_random(const PatternParams& p);
std::unique_ptr<AddressPattern> make_hotcold(const PatternParams& p);
std::unique_ptr<AddressPattern> make_zipf(const PatternParams& p);
std::unique_ptr<AddressPattern> make_strided(const PatternParams& p);

// Throws std::invalid_argument(msg). Messages start with the YAML name of
// the parameter at fault, then ": ".
[[noreturn]] inline void reject(const std::string& msg) { throw std::invalid_argument(msg); }

// Number of size-aligned slots of the window (>= 1 after the common checks).
inline uint64_t slot_count(const PatternParams& p) { return p.window / p.size; }

// Checks start + size <= window (an access fits at `start`) for the
// patterns that take `start`.
void require_start_fits(const PatternParams& p);

}  // namespace iommusim::traffic::detail

// make_pattern(): the checks every pattern shares, then the pattern's own
// factory (patterns.h).
#include "traffic/pattern/address_pattern.h"

#include <cstdint>
#include <limits>

#include "traffic/pattern/patterns.h"

namespace iommusim::traffic {

namespace detail {

void require_start_fits(const PatternParams& p) {
    if (p.start > p.window - p.size)
        reject("start: " + std::to_string(p.start) + " leaves no room for one access of " + std::to_string(p.size) +
               " bytes in the window of " + std::to_string(p.window) + " bytes");
}

}  // namespace detail

std::unique_ptr<AddressPattern> make_pattern(const PatternParams& p) {
    using detail::reject;
    if (p.size < 1) reject("size: must be at least 1 byte");
    if (p.window < 1) reject("window: must be at least 1 byte");
    if (p.size > p.window)
        reject("size: " + std::to_string(p.size) + " bytes is larger than the window (" + std::to_string(p.window) +
               " bytes)");
    if (p.window - 1 > std::numeric_limits<uint64_t>::max() - p.base)
        reject("window: base + window passes the end of the 64-bit address space");

    if (p.kind == "sequential") return detail::make_sequential(p);
    if (p.kind == "random") return detail::make_random(p);
    if (p.kind == "hotcold") return detail::make_hotcold(p);
    if (p.kind == "zipf") return detail::make_zipf(p);
    if (p.kind == "strided") return detail::make_strided(p);
    throw std::invalid_argument("pattern: unknown pattern '" + p.kind +
                                "' (sequential, random, hotcold, zipf or strided)");
}

}  // namespace iommusim::traffic

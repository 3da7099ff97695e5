// Address patterns of the DMA generators, as plain C++ (no SystemC) so their
// streams can be checked against their definitions in unit tests.
//
// A pattern yields the I/O virtual address of transaction i = 0, 1, 2, ...
// inside a device's window [base, base + window). Every address is aligned
// to `size` where the pattern says so, and every access [addr, addr + size)
// lies inside the window. Streams are deterministic for a given seed.
// Definitions (the docs, docs/traffic.md, state the same):
//
//   sequential  addr_i = base + start + (i * stride) mod length
//               start (default 0), stride (default size), length (default
//               window - start, rounded down to a multiple of stride... see
//               the implementation's comment for the exact rule).
//   random      uniform over the window's size-aligned slots.
//   hotcold     with probability hot_probability uniform over the slots of
//               the hot region [base, base + hot_fraction * window), else
//               uniform over the remaining (cold) slots.
//   zipf        slot ranks drawn from a Zipf distribution with exponent
//               alpha over all slots; rank r maps to slot perm(r), a fixed
//               seeded permutation, so hot slots are spread over the window.
//   strided     rows of `count` accesses `stride` bytes apart, each row
//               starting `row_step` after the previous one, wrapping within
//               the window: page-crossing patterns (stride >= page size).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace iommusim::traffic {

struct PatternParams {
    std::string kind = "sequential";  // sequential | random | hotcold | zipf | strided
    uint64_t base = 0;                // window start (IOVA)
    uint64_t window = 0;              // window bytes
    uint32_t size = 64;               // bytes per access
    uint64_t seed = 1;
    // sequential / strided
    uint64_t start = 0;               // offset of the first access in the window
    uint64_t stride = 0;              // 0 = size (sequential) / required (strided)
    uint64_t length = 0;              // sequential: bytes swept before wrapping, 0 = to the window's end
    // strided
    uint64_t count = 1;               // accesses per row
    uint64_t row_step = 0;            // 0 = size: next row starts one access later
    // hotcold
    double hot_fraction = 0.1;        // share of the window that is hot, (0, 1)
    double hot_probability = 0.9;     // share of accesses that go to the hot region, [0, 1]
    // zipf
    double alpha = 1.0;               // exponent, > 0
};

class AddressPattern {
public:
    virtual ~AddressPattern() = default;
    // Address of the next transaction (i = 0, 1, 2, ... in call order).
    virtual uint64_t next() = 0;
};

// Checks `p` and builds the pattern. Throws std::invalid_argument with a
// message naming the offending parameter (the YAML layer locates it) when a
// parameter is out of range or the accesses would not fit the window.
std::unique_ptr<AddressPattern> make_pattern(const PatternParams& p);

}  // namespace iommusim::traffic

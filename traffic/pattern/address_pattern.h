// Address patterns of the DMA generators, as plain C++ (no SystemC) so their
// streams can be checked against their definitions in unit tests.
//
// A pattern yields the I/O virtual address of transaction i = 0, 1, 2, ...
// inside a device's window [base, base + window). Every access
// [addr, addr + size) lies inside the window; random, hotcold and zipf
// addresses are base + k * size (size-aligned slots counted from base), and
// sequential / strided ones are too when start, stride and row_step are
// multiples of size. Streams are deterministic for a given seed: the random
// patterns draw from SplitMix64(seed) (traffic/pattern/rng.h), the same on
// every platform. Definitions (docs/traffic.md states the same); slots =
// floor(window / size):
//
//   sequential  stride = stride ? stride : size; L = length ? length :
//               window - start (start + L <= window, L >= size); a sweep has
//               n = floor((L - size) / stride) + 1 accesses (the most that
//               end within start + L), then starts again at start:
//                 addr_i = base + start + (i mod n) * stride.
//               (With stride = size: L rounded down to a multiple of size.)
//   random      slot uniform in [0, slots).
//   hotcold     hot = max(1, floor(hot_fraction * slots)) first slots (at
//               least one cold slot must remain); with probability
//               hot_probability a slot uniform among the hot ones, else
//               uniform among the cold ones.
//   zipf        rank r in [1, slots] with P(r) = r^-alpha / H(slots, alpha)
//               (exact rejection-inversion sampler, O(1) memory); the access
//               goes to slot perm(r - 1), perm a fixed seeded bijection of
//               [0, slots) (traffic/pattern/permutation.h), so the hot slots
//               are spread over the window and rank 1 is the same slot for
//               the same seed.
//   strided     rows of `count` accesses `stride` bytes apart (stride > 0),
//               each row starting `row_step` (0 = size) after the previous
//               one, wrapping within the window: page-crossing patterns
//               (stride >= page size).
//                 addr_i = base + start + ((i mod count) * stride
//                                          + (i div count) * row_step) mod L
//               with g = gcd(stride, row_step, size) and
//               L = (floor((window - start - size) / g) + 1) * g, the largest
//               multiple of g whose offsets (multiples of g below L) all fit
//               an access; L = window - start rounded down to a multiple of
//               size when stride and row_step are multiples of size.
//
// Parameters a pattern does not take are ignored here (the YAML layer
// refuses them).
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
    uint64_t length = 0;              // sequential: bytes swept, [start, start + length); 0 = to the window's end
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

// Checks `p` and builds the pattern. Throws std::invalid_argument when a
// parameter is out of range or the accesses would not fit the window; the
// message starts with the parameter's YAML name and ": " (e.g. "stride: must
// be > 0 for the strided pattern"; an unknown kind is "pattern: ..."), so the
// YAML layer can locate it.
std::unique_ptr<AddressPattern> make_pattern(const PatternParams& p);

}  // namespace iommusim::traffic

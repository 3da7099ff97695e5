// The random-number generator of the address patterns: SplitMix64
// (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014; reference code by S. Vigna, prng.di.unimi.it/splitmix64.c).
// Fixed and fully specified so that a stream depends only on the seed, on
// every platform and compiler:
//
//   state += 0x9E3779B97F4A7C15
//   z = state
//   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//   next() = z ^ (z >> 31)
//
// The initial state is the seed itself (every seed, 0 included, is valid).
// below(n) is uniform in [0, n) without modulo bias (Lemire, "Fast random
// integer generation in an interval", ACM TOMACS 2019); unit() is uniform in
// [0, 1) with 53 random bits.
#pragma once

#include <cstdint>

namespace iommusim::traffic {

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform in [0, n), n > 0 (returns 0 for n == 0). Lemire's method:
    // the high half of next() * n, redrawing while the low half falls in the
    // 2^64 mod n values that would bias the result.
    uint64_t below(uint64_t n) {
        if (n == 0) return 0;
        __extension__ using u128 = unsigned __int128;
        u128 m = u128(next()) * n;
        uint64_t low = uint64_t(m);
        if (low < n) {
            const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
            while (low < threshold) {
                m = u128(next()) * n;
                low = uint64_t(m);
            }
        }
        return uint64_t(m >> 64);
    }

    // Uniform in [0, 1): the top 53 bits of next() times 2^-53.
    double unit() { return double(next() >> 11) * 0x1.0p-53; }

private:
    uint64_t state_;
};

}  // namespace iommusim::traffic

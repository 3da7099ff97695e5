// Bit-field access for architected structures.
//
// Architected structures (STE, CD, commands, event records, page-table
// descriptors) are stored as little-endian arrays of 64-bit words. Fields are
// named by their absolute bit positions as the specifications number them
// (e.g. STE.S2VMID is bits [143:128]), so a reader can check a field against
// the specification's table directly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace iommusim::bits {

constexpr uint64_t mask(unsigned width) {
    return width >= 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1);
}

// Extract `width` bits starting at absolute bit `lsb` of a word array.
// A field may straddle two 64-bit words.
inline uint64_t get(const uint64_t* dw, unsigned lsb, unsigned width) {
    const unsigned w = lsb / 64, s = lsb % 64;
    uint64_t v = dw[w] >> s;
    if (s != 0 && s + width > 64) v |= dw[w + 1] << (64 - s);
    return v & mask(width);
}

inline void set(uint64_t* dw, unsigned lsb, unsigned width, uint64_t value) {
    const unsigned w = lsb / 64, s = lsb % 64;
    value &= mask(width);
    dw[w] = (dw[w] & ~(mask(width) << s)) | (value << s);
    if (s != 0 && s + width > 64) {
        const unsigned hi = s + width - 64;
        dw[w + 1] = (dw[w + 1] & ~mask(hi)) | (value >> (64 - s));
    }
}

// Single-word convenience forms (registers, descriptors).
constexpr uint64_t extract(uint64_t v, unsigned lsb, unsigned width) {
    return (v >> lsb) & mask(width);
}
constexpr uint64_t deposit(uint64_t v, unsigned lsb, unsigned width, uint64_t field) {
    return (v & ~(mask(width) << lsb)) | ((field & mask(width)) << lsb);
}

}  // namespace iommusim::bits

// Declares a named field `NAME` at absolute bits [LSB+WIDTH-1:LSB] of the
// enclosing struct's `dw` word array: `NAME()` reads it, `set_NAME(v)` writes
// it, and `NAME##_field` describes its position (used by the bit-position
// tests and by dumps).
#define IOMMUSIM_FIELD(NAME, LSB, WIDTH)                                              \
    static constexpr unsigned NAME##_lsb = (LSB);                                     \
    static constexpr unsigned NAME##_width = (WIDTH);                                 \
    uint64_t NAME() const { return ::iommusim::bits::get(dw, (LSB), (WIDTH)); }       \
    void set_##NAME(uint64_t v) { ::iommusim::bits::set(dw, (LSB), (WIDTH), v); }

// The same for a register or descriptor held in a single 64-bit `value`.
#define IOMMUSIM_REG_FIELD(NAME, LSB, WIDTH)                                          \
    static constexpr unsigned NAME##_lsb = (LSB);                                     \
    static constexpr unsigned NAME##_width = (WIDTH);                                 \
    uint64_t NAME() const { return ::iommusim::bits::extract(value, (LSB), (WIDTH)); } \
    void set_##NAME(uint64_t v) { value = ::iommusim::bits::deposit(value, (LSB), (WIDTH), v); }

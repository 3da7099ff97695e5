// ACPI table building blocks: a little-endian byte writer with placeholders
// patched later, a bounds-checked reader for the dumper, and the 36-byte
// System Description Table header (ACPI 6.5 §5.2.6) every table starts with.
// Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/pci/firmware_view.h"

namespace iommusim::pci::acpi {

// ACPI 6.5 §5.2.6, Table 5.4 "DESCRIPTION_HEADER Fields": byte offset of each
// field in the header common to every System Description Table.
namespace sdt {
inline constexpr size_t kSignature = 0;         // char[4]
inline constexpr size_t kLength = 4;            // u32, whole table incl. header
inline constexpr size_t kRevision = 8;          // u8
inline constexpr size_t kChecksum = 9;          // u8, whole table sums to 0 mod 256
inline constexpr size_t kOemId = 10;            // char[6]
inline constexpr size_t kOemTableId = 16;       // char[8]
inline constexpr size_t kOemRevision = 24;      // u32
inline constexpr size_t kCreatorId = 28;        // char[4] (ASL compiler vendor ID)
inline constexpr size_t kCreatorRevision = 32;  // u32
inline constexpr size_t kSize = 36;

inline constexpr size_t kSignatureLen = 4;
inline constexpr size_t kOemIdLen = 6;
inline constexpr size_t kOemTableIdLen = 8;
inline constexpr size_t kCreatorIdLen = 4;
}  // namespace sdt

// The tool that made the table (Creator ID / Creator Revision).
inline constexpr std::string_view kCreatorId = "IOMS";
inline constexpr uint32_t kCreatorRevision = 1;

// Appends little-endian fields. Every append returns the offset it wrote at,
// so a field whose value is known only later (a length, a count) can be
// written as a placeholder and patched.
class ByteWriter {
public:
    size_t size() const { return buf_.size(); }
    const std::vector<uint8_t>& data() const { return buf_; }
    // The builders state where each field must land (the spec's offset);
    // a layout slip is a std::logic_error, not a silently shifted table.
    ByteWriter& at(size_t expected_offset);
    std::vector<uint8_t> take() { return std::move(buf_); }

    size_t u8(uint8_t v);
    size_t u16(uint16_t v);
    size_t u32(uint32_t v);
    size_t u64(uint64_t v);
    size_t zeros(size_t n);
    // Exactly `width` bytes: `s` truncated or padded with `pad`.
    size_t fixed_string(std::string_view s, size_t width, char pad = ' ');

    // Placeholders: zero now, patch_*() later.
    size_t placeholder_u16() { return u16(0); }
    size_t placeholder_u32() { return u32(0); }

    void patch_u8(size_t off, uint8_t v);
    void patch_u16(size_t off, uint16_t v);
    void patch_u32(size_t off, uint32_t v);
    void patch_u64(size_t off, uint64_t v);

private:
    void put(uint64_t v, size_t bytes);
    void patch(size_t off, uint64_t v, size_t bytes);
    std::vector<uint8_t> buf_;
};

// Bounds-checked little-endian reads; throws std::out_of_range past the end.
class ByteReader {
public:
    explicit ByteReader(const std::vector<uint8_t>& b) : b_(b) {}
    size_t size() const { return b_.size(); }
    bool has(size_t off, size_t n) const { return off <= b_.size() && n <= b_.size() - off; }
    uint8_t u8(size_t off) const { return static_cast<uint8_t>(get(off, 1)); }
    uint16_t u16(size_t off) const { return static_cast<uint16_t>(get(off, 2)); }
    uint32_t u32(size_t off) const { return static_cast<uint32_t>(get(off, 4)); }
    uint64_t u64(size_t off) const { return get(off, 8); }
    std::string str(size_t off, size_t n) const;

private:
    uint64_t get(size_t off, size_t bytes) const;
    const std::vector<uint8_t>& b_;
};

struct SdtHeader {
    std::string signature;     // 4 characters
    uint8_t revision = 0;
    std::string oem_id;        // padded with spaces / truncated to 6
    std::string oem_table_id;  // padded with spaces / truncated to 8
    uint32_t oem_revision = 0;
    std::string creator_id = std::string(kCreatorId);
    uint32_t creator_revision = kCreatorRevision;
};

// A table under construction: the header is written by the constructor with
// Length and Checksum zero; the builder appends the body to w(); finalize()
// writes Length and the Checksum (byte sum of the table == 0 mod 256).
class AcpiTable {
public:
    explicit AcpiTable(const SdtHeader& h);
    ByteWriter& w() { return w_; }
    std::vector<uint8_t> finalize();

private:
    ByteWriter w_;
};

// The header of a table built from `view` (its OEM fields).
SdtHeader header_for(const FirmwareView& view, std::string_view signature, uint8_t revision);

// The bus ranges of one PCI segment, ascending by first bus.
std::vector<const FwBusRange*> segment_bus_ranges(const FirmwareView& view, uint16_t segment);

// Sum of all bytes mod 256 (0 for a table with a valid checksum).
uint8_t byte_sum(const std::vector<uint8_t>& table);

// Narrowing with a range check, for fields whose width the spec fixes.
template <typename T>
T checked(uint64_t v, const char* what) {
    if (v > static_cast<uint64_t>(static_cast<T>(~T{0})))
        throw std::length_error(std::string("ACPI field overflow: ") + what);
    return static_cast<T>(v);
}

}  // namespace iommusim::pci::acpi

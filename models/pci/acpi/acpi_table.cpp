#include "models/pci/acpi/acpi_table.h"

#include <algorithm>

namespace iommusim::pci::acpi {

void ByteWriter::put(uint64_t v, size_t bytes) {
    for (size_t i = 0; i < bytes; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::patch(size_t off, uint64_t v, size_t bytes) {
    if (off > buf_.size() || bytes > buf_.size() - off) throw std::out_of_range("ByteWriter: patch past the end");
    for (size_t i = 0; i < bytes; ++i) buf_[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

ByteWriter& ByteWriter::at(size_t expected_offset) {
    if (size() != expected_offset)
        throw std::logic_error("ACPI layout: field expected at offset " + std::to_string(expected_offset) +
                               ", writer is at " + std::to_string(size()));
    return *this;
}

size_t ByteWriter::u8(uint8_t v) {
    const size_t at = size();
    put(v, 1);
    return at;
}

size_t ByteWriter::u16(uint16_t v) {
    const size_t at = size();
    put(v, 2);
    return at;
}

size_t ByteWriter::u32(uint32_t v) {
    const size_t at = size();
    put(v, 4);
    return at;
}

size_t ByteWriter::u64(uint64_t v) {
    const size_t at = size();
    put(v, 8);
    return at;
}

size_t ByteWriter::zeros(size_t n) {
    const size_t at = size();
    buf_.insert(buf_.end(), n, 0);
    return at;
}

size_t ByteWriter::fixed_string(std::string_view s, size_t width, char pad) {
    const size_t at = size();
    for (size_t i = 0; i < width; ++i) buf_.push_back(static_cast<uint8_t>(i < s.size() ? s[i] : pad));
    return at;
}

void ByteWriter::patch_u8(size_t off, uint8_t v) { patch(off, v, 1); }
void ByteWriter::patch_u16(size_t off, uint16_t v) { patch(off, v, 2); }
void ByteWriter::patch_u32(size_t off, uint32_t v) { patch(off, v, 4); }
void ByteWriter::patch_u64(size_t off, uint64_t v) { patch(off, v, 8); }

uint64_t ByteReader::get(size_t off, size_t bytes) const {
    if (!has(off, bytes)) throw std::out_of_range("ACPI table truncated");
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i) v |= uint64_t{b_[off + i]} << (8 * i);
    return v;
}

std::string ByteReader::str(size_t off, size_t n) const {
    if (!has(off, n)) throw std::out_of_range("ACPI table truncated");
    return std::string(reinterpret_cast<const char*>(b_.data() + off), n);
}

AcpiTable::AcpiTable(const SdtHeader& h) {
    if (h.signature.size() != sdt::kSignatureLen) throw std::invalid_argument("ACPI signature must be 4 characters");
    w_.fixed_string(h.signature, sdt::kSignatureLen);
    w_.placeholder_u32();  // Length: finalize()
    w_.u8(h.revision);
    w_.u8(0);  // Checksum: finalize()
    w_.fixed_string(h.oem_id, sdt::kOemIdLen);
    w_.fixed_string(h.oem_table_id, sdt::kOemTableIdLen);
    w_.u32(h.oem_revision);
    w_.fixed_string(h.creator_id, sdt::kCreatorIdLen);
    w_.u32(h.creator_revision);
}

std::vector<uint8_t> AcpiTable::finalize() {
    w_.patch_u32(sdt::kLength, checked<uint32_t>(w_.size(), "table length"));
    w_.patch_u8(sdt::kChecksum, 0);
    w_.patch_u8(sdt::kChecksum, static_cast<uint8_t>(0x100 - byte_sum(w_.data())));
    return w_.take();
}

uint8_t byte_sum(const std::vector<uint8_t>& table) {
    unsigned sum = 0;
    for (uint8_t b : table) sum += b;
    return static_cast<uint8_t>(sum);
}

SdtHeader header_for(const FirmwareView& view, std::string_view signature, uint8_t revision) {
    SdtHeader h;
    h.signature = std::string(signature);
    h.revision = revision;
    h.oem_id = view.oem_id;
    h.oem_table_id = view.oem_table_id;
    h.oem_revision = view.oem_revision;
    return h;
}

std::vector<const FwBusRange*> segment_bus_ranges(const FirmwareView& view, uint16_t segment) {
    std::vector<const FwBusRange*> ranges;
    for (const FwBusRange& r : view.bus_ranges)
        if (r.segment == segment) ranges.push_back(&r);
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const FwBusRange* a, const FwBusRange* b) { return a->bus_first < b->bus_first; });
    return ranges;
}

}  // namespace iommusim::pci::acpi

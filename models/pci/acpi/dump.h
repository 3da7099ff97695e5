// A readable, field-by-field text dump of an IORT, DMAR or IVRS table (the
// signature picks the decoder), for `iommusim tables`. Each line gives the
// field's byte offset in the table, its name and its value. Any other
// signature gets the header and a hex dump. Never reads past the buffer: a
// truncated or inconsistent table is reported in the text. Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace iommusim::pci::acpi {

std::string dump_table(const std::vector<uint8_t>& table);

}  // namespace iommusim::pci::acpi

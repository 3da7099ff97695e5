// `iommusim tables`: the ACPI tables firmware would publish for a platform,
// built from its FirmwareView (the same view the simulator routes by).
// Which tables: IORT when the platform has an SMMUv3, DMAR when it has a
// VT-d unit, IVRS when it has an AMD-Vi IOMMU; none without an IOMMU.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/pci/firmware_view.h"

namespace iommusim {

struct AcpiTableFile {
    std::string signature;       // "IORT", "DMAR", "IVRS"
    std::vector<uint8_t> bytes;  // the whole table, header and checksum included
};

// The tables the view calls for, in the order IORT, DMAR, IVRS. Throws
// std::invalid_argument if the view is inconsistent (a builder refused it).
std::vector<AcpiTableFile> build_acpi_tables(const pci::FirmwareView& view);

// Writes DIR/<SIG>.dat per table and DIR/tables.txt (every table's readable
// dump). Creates DIR. False with `err` set on an I/O error.
bool write_acpi_tables(const std::string& dir, const std::vector<AcpiTableFile>& tables, std::string& err);

}  // namespace iommusim

#include "platforms/tables.h"

#include <filesystem>
#include <fstream>

#include "models/pci/acpi/dmar.h"
#include "models/pci/acpi/dump.h"
#include "models/pci/acpi/iort.h"
#include "models/pci/acpi/ivrs.h"

namespace iommusim {

namespace {

bool has_kind(const pci::FirmwareView& v, pci::IommuKind k) {
    for (const auto& io : v.iommus)
        if (io.kind == k) return true;
    return false;
}

}  // namespace

std::vector<AcpiTableFile> build_acpi_tables(const pci::FirmwareView& view) {
    std::vector<AcpiTableFile> out;
    if (has_kind(view, pci::IommuKind::SMMUv3)) out.push_back({"IORT", pci::acpi::build_iort(view)});
    if (has_kind(view, pci::IommuKind::VTd)) out.push_back({"DMAR", pci::acpi::build_dmar(view)});
    if (has_kind(view, pci::IommuKind::AMDVi)) out.push_back({"IVRS", pci::acpi::build_ivrs(view)});
    return out;
}

bool write_acpi_tables(const std::string& dir, const std::vector<AcpiTableFile>& tables, std::string& err) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        err = "cannot create " + dir + ": " + ec.message();
        return false;
    }
    std::ofstream dump(fs::path(dir) / "tables.txt");
    for (const auto& t : tables) {
        const fs::path p = fs::path(dir) / (t.signature + ".dat");
        std::ofstream f(p, std::ios::binary);
        f.write(reinterpret_cast<const char*>(t.bytes.data()), static_cast<std::streamsize>(t.bytes.size()));
        if (!f) {
            err = "cannot write " + p.string();
            return false;
        }
        dump << pci::acpi::dump_table(t.bytes) << "\n";
    }
    if (!dump) {
        err = "cannot write " + (fs::path(dir) / "tables.txt").string();
        return false;
    }
    return true;
}

}  // namespace iommusim

#include "models/smmuv3/arch/reg_names.h"

#include "models/smmuv3/arch/regs.h"

namespace iommusim::smmuv3 {

const std::vector<RegisterName>& register_names() {
    using namespace reg;
    static const std::vector<RegisterName> names = {
        {"IDR0", SMMU_IDR0, 4},
        {"IDR1", SMMU_IDR1, 4},
        {"IDR2", SMMU_IDR2, 4},
        {"IDR3", SMMU_IDR3, 4},
        {"IDR4", SMMU_IDR4, 4},
        {"IDR5", SMMU_IDR5, 4},
        {"IIDR", SMMU_IIDR, 4},
        {"AIDR", SMMU_AIDR, 4},
        {"CR0", SMMU_CR0, 4},
        {"CR0ACK", SMMU_CR0ACK, 4},
        {"CR1", SMMU_CR1, 4},
        {"CR2", SMMU_CR2, 4},
        {"STATUSR", SMMU_STATUSR, 4},
        {"GBPA", SMMU_GBPA, 4},
        {"AGBPA", SMMU_AGBPA, 4},
        {"IRQ_CTRL", SMMU_IRQ_CTRL, 4},
        {"IRQ_CTRLACK", SMMU_IRQ_CTRLACK, 4},
        {"GERROR", SMMU_GERROR, 4},
        {"GERRORN", SMMU_GERRORN, 4},
        {"GERROR_IRQ_CFG0", SMMU_GERROR_IRQ_CFG0, 8},
        {"GERROR_IRQ_CFG1", SMMU_GERROR_IRQ_CFG1, 4},
        {"GERROR_IRQ_CFG2", SMMU_GERROR_IRQ_CFG2, 4},
        {"STRTAB_BASE", SMMU_STRTAB_BASE, 8},
        {"STRTAB_BASE_CFG", SMMU_STRTAB_BASE_CFG, 4},
        {"CMDQ_BASE", SMMU_CMDQ_BASE, 8},
        {"CMDQ_PROD", SMMU_CMDQ_PROD, 4},
        {"CMDQ_CONS", SMMU_CMDQ_CONS, 4},
        {"EVENTQ_BASE", SMMU_EVENTQ_BASE, 8},
        {"EVENTQ_IRQ_CFG0", SMMU_EVENTQ_IRQ_CFG0, 8},
        {"EVENTQ_IRQ_CFG1", SMMU_EVENTQ_IRQ_CFG1, 4},
        {"EVENTQ_IRQ_CFG2", SMMU_EVENTQ_IRQ_CFG2, 4},
        {"PRIQ_BASE", SMMU_PRIQ_BASE, 8},
        {"PRIQ_IRQ_CFG0", SMMU_PRIQ_IRQ_CFG0, 8},
        {"PRIQ_IRQ_CFG1", SMMU_PRIQ_IRQ_CFG1, 4},
        {"PRIQ_IRQ_CFG2", SMMU_PRIQ_IRQ_CFG2, 4},
        {"EVENTQ_PROD", SMMU_EVENTQ_PROD, 4},
        {"EVENTQ_CONS", SMMU_EVENTQ_CONS, 4},
        {"PRIQ_PROD", SMMU_PRIQ_PROD, 4},
        {"PRIQ_CONS", SMMU_PRIQ_CONS, 4},
    };
    return names;
}

const RegisterName* find_register(const std::string& name) {
    const std::string n = name.rfind("SMMU_", 0) == 0 ? name.substr(5) : name;
    for (const RegisterName& r : register_names())
        if (n == r.name) return &r;
    return nullptr;
}

}  // namespace iommusim::smmuv3

// SPDX-License-Identifier: GPL-2.0
/*
 * vmap_pfn_test - run-time check of "mm: vmalloc must set pte via arch
 * code" (kernel-patches/ptep-deref, patch 1).
 *
 * vmap_pfn() maps PFNs that have no struct page, through
 * vmap_pfn_apply(), which the patch changes to write each PTE with
 * set_pte_at().  This module maps the PL011 UART of the QEMU "virt"
 * machine (physical 0x09000000, a device page, so pfn_valid() is false as
 * vmap_pfn() requires) and reads the four PrimeCell ID registers through
 * the new mapping.  Every PrimeCell reads 0x0d, 0xf0, 0x05, 0xb1 there,
 * so a wrong or missing PTE cannot produce them.  Loading prints
 * "vmap_pfn_test: PASS" or "vmap_pfn_test: FAIL ..." and returns 0 or
 * -EIO; nothing stays mapped.
 *
 * Build: needs CONFIG_MODULES and CONFIG_VMAP_PFN (select it with
 * CONFIG_HYPERV, which on arm64 needs CONFIG_ACPI and CONFIG_EFI).
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

/* QEMU virt: VIRT_UART is at 0x09000000 (hw/arm/virt.c memmap). */
static unsigned long uart_phys = 0x09000000;
module_param(uart_phys, ulong, 0444);
MODULE_PARM_DESC(uart_phys, "physical address of a PL011 (default: QEMU virt UART)");

/* PrimeCell component ID registers, ARM DDI 0183 section 3.3.11-3.3.14 */
#define PCELL_ID0	0xff0
static const u8 pcell_id[4] = { 0x0d, 0xf0, 0x05, 0xb1 };

static int __init vmap_pfn_test_init(void)
{
	unsigned long pfn = uart_phys >> PAGE_SHIFT;
	void __iomem *base;
	void *va;
	int i, bad = 0;

	va = vmap_pfn(&pfn, 1, pgprot_device(PAGE_KERNEL));
	if (!va) {
		pr_err("vmap_pfn_test: FAIL vmap_pfn(%#lx) returned NULL\n", pfn);
		return -EIO;
	}
	base = (void __iomem *)va + offset_in_page(uart_phys);
	for (i = 0; i < ARRAY_SIZE(pcell_id); i++) {
		u32 v = readl(base + PCELL_ID0 + 4 * i) & 0xff;

		if (v != pcell_id[i]) {
			pr_err("vmap_pfn_test: FAIL PCellID%d is %#x, expected %#x\n",
			       i, v, pcell_id[i]);
			bad++;
		}
	}
	vunmap(va);
	if (bad)
		return -EIO;
	pr_info("vmap_pfn_test: PASS pfn %#lx mapped, PrimeCell ID read through it\n", pfn);
	return 0;
}

static void __exit vmap_pfn_test_exit(void)
{
}

module_init(vmap_pfn_test_init);
module_exit(vmap_pfn_test_exit);
MODULE_DESCRIPTION("vmap_pfn() run-time check for the ptep_deref() series");
MODULE_LICENSE("GPL");

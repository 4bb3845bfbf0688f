# SPDX-License-Identifier: GPL-2.0
#
# The figures of the comparison report (plots/plot.py: matplotlib SVG and
# PNG, gnuplot text charts) and their test.  Included by the top Makefile.
# Debian's Python runs the script: it is the one with python3-matplotlib.

DEPS_PKGS += python3-matplotlib gnuplot-nox
PLOTS_PYTHON := /usr/bin/python3

test-plots: $(TLBBENCH) | deps
	@$(PLOTS_PYTHON) tests/plots/test_plots.py $(TLBBENCH) $(BUILD)/test-plots \
		$(BUILD)/test-results/plots

TEST_TARGETS += test-plots

.PHONY: test-plots

build/common/csv.o: common/csv.c common/asb_limits.h common/csv.h \
 common/err.h
common/asb_limits.h:
common/csv.h:
common/err.h:

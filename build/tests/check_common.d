build/tests/check_common.o: tests/check_common.c common/asb_limits.h \
 common/csv.h common/err.h common/date.h common/json.h common/num.h
common/asb_limits.h:
common/csv.h:
common/err.h:
common/date.h:
common/json.h:
common/num.h:

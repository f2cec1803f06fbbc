build/register/import.o: register/import.c schema/codes.h common/csv.h \
 common/err.h register/internal.h register/reg.h common/asb_limits.h \
 common/date.h common/err.h schema/rules.h common/json.h
schema/codes.h:
common/csv.h:
common/err.h:
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:
common/json.h:

build/register/audit.o: register/audit.c register/internal.h \
 register/reg.h common/asb_limits.h common/date.h common/err.h \
 schema/rules.h
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:

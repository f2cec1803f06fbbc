build/register/record.o: register/record.c schema/codes.h \
 register/internal.h register/reg.h common/asb_limits.h common/date.h \
 common/err.h schema/rules.h
schema/codes.h:
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:

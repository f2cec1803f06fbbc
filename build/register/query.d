build/register/query.o: register/query.c schema/codes.h \
 register/internal.h register/reg.h common/asb_limits.h common/date.h \
 common/err.h schema/rules.h
schema/codes.h:
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:

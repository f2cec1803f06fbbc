build/register/fields.o: register/fields.c schema/codes.h \
 register/internal.h register/reg.h common/asb_limits.h common/date.h \
 common/err.h schema/rules.h common/num.h
schema/codes.h:
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:
common/num.h:

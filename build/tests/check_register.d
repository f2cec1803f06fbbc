build/tests/check_register.o: tests/check_register.c schema/codes.h \
 register/internal.h register/reg.h common/asb_limits.h common/date.h \
 common/err.h schema/rules.h register/reg.h
schema/codes.h:
register/internal.h:
register/reg.h:
common/asb_limits.h:
common/date.h:
common/err.h:
schema/rules.h:
register/reg.h:

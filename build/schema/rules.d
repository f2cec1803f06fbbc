build/schema/rules.o: schema/rules.c schema/codes.h common/num.h \
 schema/rules.h common/date.h schema/tables.h
schema/codes.h:
common/num.h:
schema/rules.h:
common/date.h:
schema/tables.h:

/* xsd.h - the national return's XSD, compiled into the program from schema/asb-return-1.xsd
 * (so validation never depends on finding a file, and never on a network). */
#ifndef GW_XSD_H
#define GW_XSD_H
extern const char gw_xsd[];
extern const unsigned gw_xsd_len;
#endif

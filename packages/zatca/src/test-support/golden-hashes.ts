// The ZATCA scenarios' unsigned XML (SHA-256, hex) and signed invoice hash (base64), as the builder made them
// before it moved onto the shared UBL writer.
export const GOLDEN_HASHES: Record<string, { xml: string; invoiceHash: string }> = {
  'standard invoice S': {
    xml: '174f9154bae3b1cd553cab8dfd7d250b078c268e1dba569cd3834cd63a509a3d',
    invoiceHash: 'CQv32AbJLMJkczNuX5n1uyA4pJALfix0W/PFka/nIaQ=',
  },
  'simplified invoice S anonymous': {
    xml: '258b93523ff057cb981dcbadaf90b56c4ad8f7444c6ac5f20ad0773c8f6353e8',
    invoiceHash: 'LCl2vD5wVxJnEs9Q2f53oKtOw18OyDNl/Q6i09/I51U=',
  },
  'standard credit note': {
    xml: 'bfe39d93abf3a87b8918b576709cb8459f15204dbc5b40233eea763f801710d3',
    invoiceHash: 'ojWuYURK2gfXAUgHt/1yn5IaWH9+ZipVoyrmCuhx+h0=',
  },
  'standard debit note': {
    xml: '2948422e9a7d669f88ee88720a8e76926f3523dc7d5952bdef30c1b03a2aa976',
    invoiceHash: 'pkRyzA3ttasuFcr8wsWaEcJ8wRc2IDp8LD3wc9olwUU=',
  },
  'simplified credit note': {
    xml: '264a228e174ee53afb3f6377092e2585d80269eb4ea5fedb3c636799349dd923',
    invoiceHash: 'dW4iX4nFAwrtR2xv6aS05OJb8Wq/CkkpWtbSM3W186A=',
  },
  'simplified debit note': {
    xml: 'd4a5da45298ef80a9dbde5c63115a49b47bc060fd507c1b59e1cf5df4ff63ee4',
    invoiceHash: 'eGC4SQ0dCqemxJbncvv7B4NN2nOWZBGtBcouR75la6o=',
  },
  'standard Z + S': {
    xml: '6d58a88afeed3c74d53a1ba735c6a048fea6733e9631842375017e9cccbc9dba',
    invoiceHash: 'xLoA6ytlusfSC+9rRb2vRKdH2upucoIDo6sQQkopUNQ=',
  },
  'standard E + S': {
    xml: 'd345e8462000c9d4d407901b62f5aa282adbef1233d842f6f13380a641038312',
    invoiceHash: 'PnlgNAZ8aBK7F73I219NxBqSNsZYwq3GdrHbNKhx5nI=',
  },
  'standard O only': {
    xml: '70b85778b0c3498c017b4e5f976b77f5c14ddfc0eade3ec121dd8c5a596b42bc',
    invoiceHash: 'r+P30jfRAfQVEVRb7SZOTn+jHde7XJ4EFbHVJVhCBnU=',
  },
  'simplified Z': {
    xml: '3be61c3d365892125954fcb111c33f42eb7015a3729fd00ebddca7a6261213e7',
    invoiceHash: 'eLejFEzgY2NIOh6gIM2sq0oXa226bj+j1TQ0qwnlkJQ=',
  },
  'simplified E': {
    xml: 'ea5a1e6ec4babbb3dcc3c0921871259f3029287d956b224b59bc6303f07c0dbb',
    invoiceHash: 'LMdrSZ9psHV77DhkUuofIX1DtZ78qIxrPRNlVxCfgGE=',
  },
  'simplified O + S': {
    xml: '00766c253de9fb1eceee07f06c063b442e98cf5391f507a1aeae87dab79f935d',
    invoiceHash: '2FkVngK8c8LkzokDtrgAf4QTeFuoa9ArdTl0wUUgjYo=',
  },
  'standard S, Z, E, O together': {
    xml: 'bcefb1f2e10597004690ed3834436231abf3f53eb50f12ae3a2492435e746f45',
    invoiceHash: 'bAE5gj7zAwXcpHkWWiEW/9d7O+INasErZLE2qRdoVZ8=',
  },
  'standard line allowance (percent)': {
    xml: '1e6d3e455b1600bbbc5ccfe0450d57b4e05776ef02921cf604277dac61aedbd2',
    invoiceHash: 'JG+s4qHz5ypeL1HVDx/WL5iFMjP/CflsRJCrVN9yZvA=',
  },
  'standard line charge': {
    xml: '0e4b40e383943740a1418e99602e0bca1a4a8aa56e5ea010a5338ab8c10654fd',
    invoiceHash: 'wi3tZEeg52AOYapUW6FJYesHpOWxYrJX7mS16E+hspI=',
  },
  'standard document allowance': {
    xml: '8fdf715c8f1d45500d69e430624e8a94cf40d344a6ecf1e957dc3f9f44f79f16',
    invoiceHash: 'EPhdC3U+6pvtg3Oe7qiPsKb4DGde8YWdhw6R9BiH5yk=',
  },
  'standard document charge': {
    xml: '353a8721887662dd2d3e97ca536d80f000411e5e1b68a93d27f655e8618fcee9',
    invoiceHash: 'kIL5Mv16A04Ofx45zfqipVM22QT4xYRXMQJN8gGVxAE=',
  },
  'simplified document allowance + line charge': {
    xml: 'dcc293ca91fd5fe6af8c86976e26eeed625c480909dbc2392e531e4bd9ffd2e4',
    invoiceHash: 'Y0CrWaUj2g7mRnvZidAfxqODZetlHqqRNSAo+2K1/s4=',
  },
  'standard document allowance on Z': {
    xml: 'dd453bbc013d4cce773ab9ee1468a82049f5a691d86d79aac52281105abb919d',
    invoiceHash: 'ou9JDA4jrd0FPFM+vNnLyX0jW3kX/QHUugN1WHwSJ4I=',
  },
  'standard Arabic only': {
    xml: '2c051628bdfb4fde7b95ab62ebefd8da7df2acbf632f3783754549da6fa25c04',
    invoiceHash: 'W7X/Zu+d5VCjpJ2c2lZrWA5UmETYzB7l/JaoHPthW5I=',
  },
  'simplified Arabic only': {
    xml: '01bc71d7b2b773b05c624f52d0fbdea96e43dfdca31922c2cc4d83d0c916d288',
    invoiceHash: '5jRHjShAJisyHe4b2jCYKBEFLKsM1QUs3BTBcUbHCPk=',
  },
  'standard USD with SAR VAT': {
    xml: '65b70da50dff7816cd66883e00d2dc3c8b890972dd245f18a59b96bad8be87e9',
    invoiceHash: 'qKSMlP2Ox8YVADNJ2ycaJf9/BZvHwrnCFVDwsqgydO8=',
  },
  'standard rounding stress': {
    xml: '0555ded04357f2af243cf53e529ffa339bc82544fbd5015a7e7d8212c1526ef4',
    invoiceHash: '/lyGwzWelOaHamqSdgFzCwz0LpU7FkeGV17VQnWR/9g=',
  },
  'simplified rounding stress': {
    xml: '4655e98b4f7bb7a32b99083411aa0a1b458f8c43efd41a3442384e194e067fbc',
    invoiceHash: 'N23h94u7jzNxX8l9oNQwUbHJHKOUy1xWHJMA41DR1f0=',
  },
  'standard base quantity and 4-decimal price': {
    xml: '8fbe3e5844f8688f103bbcfdea1da52112fb681840a2fe809392cdf4fbd844a8',
    invoiceHash: '0Sv3JkRGfOMQ6crjFv7kbaD7dvPgqlQ1wmc6kUclJDc=',
  },
  'standard prepayment invoice (386)': {
    xml: 'e8c069533288e24a790fe0335fb6f48f38c13e1535e4d1b2a76eaab7e78f9b07',
    invoiceHash: 'moL/UdFX0+sdjV2XXDwbyu23Jj0Oc/TH4OXxjjFJGSg=',
  },
  'standard prepayment adjustment': {
    xml: 'ab922808041845b6059c1f3b94adb0d7e7b89250db1f761dd297f6afa7013ab5',
    invoiceHash: 'Ubua0hasMjedqnDLhElb9/kPvuKqsk13/DXKzaQEZjk=',
  },
  'standard export': {
    xml: 'f8c1e321f8b237d3cd1230e5d0f3767fa11ec32ea3e879675d585bac00b49026',
    invoiceHash: 'o4NNqICectxaD+C2f5Suz10i1oYr4qa2DyTv13GUUFk=',
  },
  'standard summary': {
    xml: 'a7c3386604aea22b91a1c4aa23f11fd3ded5b436acd50735b4fcafbad15bf021',
    invoiceHash: 'AZoyBMIZZhDaw+B1tQW6AjpLrvSXtbT4l6uXg2cgIwc=',
  },
  'standard third party': {
    xml: 'f8782a5962f2e187167ca220df20053d396503e83ecf809285f3a5456fbbfbc3',
    invoiceHash: 'zzsQOxGiBS3XviXvxadjb6Q87uXxxIADD22YDEU3TF0=',
  },
  'simplified nominal supply': {
    xml: 'f980c724cc02b5ef4c0d9d64845272fc0507f14908106792853a68f98b48b780',
    invoiceHash: '5MVQxmiGhrd1aYyQFRXuIzCH3yrqln3ZoJfSb1gSOKY=',
  },
  'standard self-billed': {
    xml: 'bf0ee5238b973a66f0d3cb5cef2e84610798ef6454700631305fd0fce9d7d3b7',
    invoiceHash: 'TvPRoMBjrR2xM6DyGupMa6ocldTWmBjmk/zSZ5VxRjI=',
  },
  'standard credit note Z + E': {
    xml: '0813e587d84b81aac09f2e6db1434a1a2ba021f651113d89f0f4e0e4a169e054',
    invoiceHash: 'B1ZTf1IIXmfgYRowMyD6HAi2SiC7cFVQLohwGMOrNM0=',
  },
  'simplified debit note with document charge': {
    xml: 'c65bcca82390e60eebffc290a2a080c22023ff68c5cc2456a24fdd40afda957a',
    invoiceHash: 'wy05HR0ueHQmTnZb4gwGWDLG5aEDBvT3EyX55EjDIBU=',
  },
  'standard payable rounding': {
    xml: 'c62e969841ccae2af17b8892dbeca4bd17b73cb6c60c247262294dedd8e11949',
    invoiceHash: 'sinrZzFY5y5cEsYYcpU2/jRX5OwVeWksfk5dPJ0EvO0=',
  },
};

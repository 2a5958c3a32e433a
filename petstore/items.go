package petstore

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names. Products carry two derived attributes besides the
// public ones: sortName, the range key of the category index, and search,
// the normalized words that [Catalog.Search] filters on.
const (
	attrID          = "id"
	attrCategory    = "category"
	attrName        = "name"
	attrDescription = "description"
	attrPrice       = "price"
	attrStock       = "stock"
	attrImage       = "image"
	attrSortName    = "sortName"
	attrSearch      = "search"

	attrUserID   = "userId"
	attrOrderID  = "orderId"
	attrLines    = "lines"
	attrQuantity = "quantity"
	attrTotal    = "total"
	attrCreated  = "createdAt"
	attrKey      = "key"
	attrCart     = "cart"
	attrExpires  = "expiresAt"
	attrIdemKey  = "idempotencyKey"
)

// publicProjection names the attributes catalog reads return: what a
// reader allowed to see products, and nothing more, may see. "name" is a
// reserved word, hence the placeholder.
const publicProjection = "id, category, #name, description, price, stock, image"

var publicNames = map[string]string{"#name": attrName}

// sortName is the range key of the category index: the lower-cased name,
// then the id, so that listings come out in name order and products of
// the same name in a stable one. '#' sorts before letters and digits, so
// "cat toy" comes before "cat toys".
func sortName(p Product) string { return strings.ToLower(p.Name) + "#" + p.ID }

func productItem(p Product) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrID:          attrS(p.ID),
		attrCategory:    attrS(string(p.Category)),
		attrName:        attrS(p.Name),
		attrDescription: attrS(p.Description),
		attrPrice:       attrN(p.Price),
		attrStock:       attrN(p.Stock),
		attrImage:       attrS(p.Image),
		attrSortName:    attrS(sortName(p)),
		attrSearch:      attrS(searchText(p)),
	}
}

func productFromItem(item map[string]types.AttributeValue) Product {
	return Product{
		ID:          getS(item, attrID),
		Category:    Category(getS(item, attrCategory)),
		Name:        getS(item, attrName),
		Description: getS(item, attrDescription),
		Price:       Cents(getN(item, attrPrice)),
		Stock:       int(getN(item, attrStock)),
		Image:       getS(item, attrImage),
	}
}

func productKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrID: attrS(id)}
}
